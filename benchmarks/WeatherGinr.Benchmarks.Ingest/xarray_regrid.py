"""The reference side of the ingest benchmark: decode a NetCDF variable with xarray + netCDF4 and
interpolate it bilinearly (DataArray.interp, method="linear") onto the benchmark's points.

argv: path variable points_file output_file repeats
points_file: float64 latitudes then float64 longitudes (degrees), n each.
Three untimed warm-up runs, then `repeats` timed ones. Writes the last run's values as float32
[time, node] to output_file and prints one JSON line.
"""
import json
import subprocess
import sys
import time

import numpy as np
import xarray as xr

path, variable, points_file, output_file, repeats = sys.argv[1:6]
points = np.fromfile(points_file, dtype="<f8").reshape(2, -1)
latitudes, longitudes = points[0], points[1]


def axis(ds, prefix):
    for name in ds[variable].dims:
        if name in ds.variables and str(ds[name].attrs.get("units", "")).lower().startswith(prefix):
            return name
    raise SystemExit(f"no {prefix} coordinate on {variable}")


def decode_and_regrid():
    with xr.open_dataset(path, mask_and_scale=True, decode_times=True) as ds:
        lat, lon = axis(ds, "degrees_n"), axis(ds, "degrees_e")
        da = ds[variable].load()
        # Targets in the file's own longitude range: lon0 <= lon < lon0 + 360.
        lon0 = float(da[lon].min())
        target_lon = lon0 + np.mod(longitudes - lon0, 360.0)
        result = da.interp({lat: xr.DataArray(latitudes, dims="node"),
                            lon: xr.DataArray(target_lon, dims="node")}, method="linear")
        return np.asarray(result.transpose(..., "node").values, dtype="<f4")


# Untimed runs first: lazy imports, file cache and numpy's first calls are paid here, as WeatherGinr's
# side pays its JIT and library loading before its timed runs.
for _ in range(3):
    decode_and_regrid()

seconds, cpu_seconds = [], []
for _ in range(int(repeats)):
    start, cpu_start = time.perf_counter(), time.thread_time()
    values = decode_and_regrid()
    seconds.append(time.perf_counter() - start)
    cpu_seconds.append(time.thread_time() - cpu_start)



def xarray_version():
    # Debian's python3-xarray is built without its release metadata and reports "999"; ask dpkg then.
    if xr.__version__ != "999":
        return xr.__version__
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-xarray"], capture_output=True,
                              text=True, check=True).stdout.strip() + " (Debian package)"
    except (OSError, subprocess.CalledProcessError):
        return xr.__version__


values.tofile(output_file)
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "shape": list(values.shape),
                  "xarray": xarray_version(), "numpy": np.__version__}))
