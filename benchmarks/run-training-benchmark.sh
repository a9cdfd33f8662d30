#!/usr/bin/env bash
# Training throughput of the GINR network: TorchSharp (the product's trainer) against PyTorch (Debian's
# python3-torch under /usr/bin/python3) in the same run, on the same machine; prints the ratio (target
# >= 1.5x). Arguments pass through, for example:
#   benchmarks/run-training-benchmark.sh --rounds 3 --architecture both --json result.json
#   benchmarks/run-training-benchmark.sh --time-to-r2 --input tas_rectilinear_grid_2D.nc   # optional, ~1 hour
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    echo "installing Debian's python3-torch (the PyTorch reference)" >&2
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y -q python3-torch >&2
fi
project="$root/benchmarks/WeatherGinr.Benchmarks.Training"
build_log="$(mktemp)"
if ! dotnet build "$project" -c Release -nologo -v q -o "$root/.weatherginr/benchmark-training" > "$build_log" 2>&1; then
    cat "$build_log" >&2; rm -f "$build_log"; exit 1
fi
rm -f "$build_log"
exec dotnet "$root/.weatherginr/benchmark-training/WeatherGinr.Benchmarks.Training.dll" "$@"
