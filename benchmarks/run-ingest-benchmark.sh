#!/usr/bin/env bash
# Ingest benchmark: decode + bilinear regrid of one NetCDF file onto icosphere nodes, WeatherGinr
# against xarray + netCDF4 (Debian's python3-xarray and python3-netcdf4 under /usr/bin/python3) in
# the same run. Not a test: it prints both times, the ratio and the largest difference.
# Arguments pass through: --file PATH --variable NAME --level N --repeats N --python PATH
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! /usr/bin/python3 -c "import xarray, netCDF4, scipy" 2>/dev/null; then
  echo "run-ingest-benchmark: needs python3-xarray, python3-netcdf4 and python3-scipy (infra/setup/setup.sh --tests)" >&2
  exit 1
fi
project="$root/benchmarks/WeatherGinr.Benchmarks.Ingest"
dotnet build "$project" -c Release -nologo -v q >/dev/null
exec dotnet "$project/bin/Release/net10.0/linux-x64/WeatherGinr.Benchmarks.Ingest.dll" "$@"
