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
# Debian's torch uses the system's libblas.so.3; the reference (netlib) BLAS makes PyTorch ~20x slower than it
# is with OpenBLAS. Then unpack Debian's OpenBLAS privately (apt-get download, dpkg -x; nothing is installed)
# and give it to the PyTorch process only.
if [ -z "${WEATHERGINR_PYTORCH_BLAS:-}" ] && readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 | grep -q '/blas/'; then
    blas_root="$root/.weatherginr/openblas"
    blas="$blas_root/usr/lib/x86_64-linux-gnu/openblas-pthread"
    if [ ! -f "$blas/libblas.so.3" ]; then
        echo "the system BLAS is the reference BLAS: unpacking Debian's libopenblas0-pthread for PyTorch" >&2
        download="$(mktemp -d)"
        (cd "$download" && apt-get download -q libopenblas0-pthread >&2 2>/dev/null)
        dpkg -x "$download"/libopenblas0-pthread_*.deb "$blas_root"
        rm -rf "$download"
    fi
    export WEATHERGINR_PYTORCH_BLAS="$blas"
fi
project="$root/benchmarks/WeatherGinr.Benchmarks.Training"
build_log="$(mktemp)"
if ! dotnet build "$project" -c Release -nologo -v q -o "$root/.weatherginr/benchmark-training" > "$build_log" 2>&1; then
    cat "$build_log" >&2; rm -f "$build_log"; exit 1
fi
rm -f "$build_log"
exec dotnet "$root/.weatherginr/benchmark-training/WeatherGinr.Benchmarks.Training.dll" "$@"
