using System.Globalization;

namespace WeatherGinr.Ingest.Tests.TestSupport;

/// <summary>
/// An independent decode of one variable by xarray + netCDF4 (Debian's python3-xarray and
/// python3-netcdf4 under /usr/bin/python3): CF masking and scaling by xarray, then the same
/// target layout as <see cref="GriddedField"/> (ascending latitude, longitude wrapped into
/// [-180, 180), duplicates dropped, sorted), then canonical units computed in float64 and
/// stored as float32.
/// </summary>
internal static class XarrayReference
{
    private const string Script = """
        import sys, numpy as np, xarray as xr
        path, name, out, scale, offset = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
        ds = xr.open_dataset(path, decode_times=False, mask_and_scale=True)
        da = ds[name]
        def kind(dim):
            if dim not in ds.variables: return None
            u = str(ds[dim].attrs.get('units', ''))
            return 'lat' if u.startswith('degrees_n') else 'lon' if u.startswith('degrees_e') else None
        lat = [d for d in da.dims if kind(d) == 'lat'][0]
        lon = [d for d in da.dims if kind(d) == 'lon'][0]
        others = [d for d in da.dims if d not in (lat, lon)]
        single = [d for d in others if da.sizes[d] == 1]
        da = da.isel({d: 0 for d in single})
        rest = [d for d in da.dims if d not in (lat, lon)]
        da = da.transpose(*(rest + [lat, lon])).sortby(lat)
        wrapped = ((da[lon].values.astype('f8') + 180.0) % 360.0) - 180.0
        da = da.assign_coords({lon: wrapped})
        _, first = np.unique(np.round(wrapped, 6), return_index=True)
        da = da.isel({lon: np.sort(first)}).sortby(lon)
        values = (da.values.astype('f8') * scale + offset).astype('f4')
        np.asarray(da[lat].values, 'f8').tofile(out + '.lat')
        np.asarray(da[lon].values, 'f8').tofile(out + '.lon')
        values.tofile(out + '.values')
        """;

    internal static (double[] Latitudes, double[] Longitudes, float[] Values) Decode(
        string path, string variable, double scale = 1, double offset = 0)
    {
        var scriptPath = CdlFile.TempPath("xarray_reference.py");
        if (!File.Exists(scriptPath))
        {
            File.WriteAllText(scriptPath, Script.Replace("\r", string.Empty, StringComparison.Ordinal));
        }

        var output = CdlFile.TempPath($"xr_{Path.GetFileNameWithoutExtension(path)}_{variable}_{Guid.NewGuid():N}");
        ExternalTool.Run("/usr/bin/python3", [scriptPath, path, variable, output,
            scale.ToString("R", CultureInfo.InvariantCulture), offset.ToString("R", CultureInfo.InvariantCulture)]);
        try
        {
            return (ReadDoubles(output + ".lat"), ReadDoubles(output + ".lon"), ReadFloats(output + ".values"));
        }
        finally
        {
            foreach (var suffix in new[] { ".lat", ".lon", ".values" })
            {
                File.Delete(output + suffix);
            }
        }
    }

    private static double[] ReadDoubles(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new double[bytes.Length / 8];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    private static float[] ReadFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
