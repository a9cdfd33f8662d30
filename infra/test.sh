#!/usr/bin/env bash
# The test command: set-up (idempotent), build, then every test project of the solution.
# Prints one closing line "Tests: N passed, N failed, N skipped" and exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

infra/setup/setup.sh --tests

echo "test: building the solution (Release)" >&2
dotnet build WeatherGinr.sln -c Release -nologo -v q -clp:ErrorsOnly
# The build copied libLibTorchSharp.so into bin folders: make sure those copies carry the fix too.
infra/setup/setup.sh --tests

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test WeatherGinr.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?

# Sum the per-project result lines that 'dotnet test' prints.
awk '
  /(Passed|Failed)! +- +Failed: / {
    gsub(",", ""); for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
    }
  }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
