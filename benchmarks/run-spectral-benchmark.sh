#!/usr/bin/env bash
# WeatherGinr's Laplacian eigensolver against scipy's eigsh (shift-invert, Debian's python3-scipy) on the same
# exported Laplacian, in one run: time ratio, residuals measured by the same code, peak memory of each.
#   benchmarks/run-spectral-benchmark.sh                      # levels 5, 6, 7, k = 100 (a few minutes)
#   benchmarks/run-spectral-benchmark.sh --levels 5,6 --k 100 --markdown table.md
#   benchmarks/run-spectral-benchmark.sh --levels 7 --repeat 3 --reference none   # ours only, fastest of 3
#   benchmarks/run-spectral-benchmark.sh --levels 8 --reference none              # about 3 GB of memory
#   benchmarks/run-spectral-benchmark.sh --levels 7 --tolerance 1e-11   # ours to a tighter residual than 1e-8
# One solve alone, with the solver's per-round trace on standard error (after a first run has built it):
#   dotnet .weatherginr/benchmarks/spectral/WeatherGinr.Benchmarks.Spectral.dll solve --level 7 --k 100 --trace true
# scipy runs twice per level: at its default tolerance (machine precision) and at tol = 1e-8, our contract.
# Run it on an otherwise idle machine: both solvers are timed by wall clock.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python=/usr/bin/python3

if ! "$python" -c "import scipy" 2>/dev/null; then
  echo "run-spectral-benchmark: $python cannot import scipy; install Debian's python3-scipy" \
    "(infra/setup/setup.sh --tests does)" >&2
  exit 1
fi

out="$root/.weatherginr/benchmarks/spectral"
dotnet build "$root/benchmarks/WeatherGinr.Benchmarks.Spectral/WeatherGinr.Benchmarks.Spectral.csproj" \
  -c Release -nologo -v q -o "$out" >&2
exec dotnet "$out/WeatherGinr.Benchmarks.Spectral.dll" run --python "$python" "$@"
