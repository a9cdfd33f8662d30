#!/usr/bin/env bash
# One idempotent set-up step for WeatherGinr, called by ./weatherginr and infra/test.sh.
# Quick when nothing is missing; says what it did when it does something.
#
#   infra/setup/setup.sh           native libraries the product needs (libnetcdf)
#   infra/setup/setup.sh --tests   also the tools and servers the tests use
#
# It then restores NuGet packages if TorchSharp is absent and, only where the host's
# libstdc++ lacks GLIBCXX_3.4.32, marks that one symbol-version need of
# libLibTorchSharp.so as weak (see docs/torchsharp-glibcxx.md).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
want_tests=0
for arg in "$@"; do
  case "$arg" in
    --tests) want_tests=1 ;;
    *) echo "setup: unknown option '$arg' (accepted: --tests)" >&2; exit 2 ;;
  esac
done

say() { echo "setup: $*" >&2; }

# --- native packages -------------------------------------------------------------
missing=()
# Read the linker cache once into a variable: 'ldconfig -p | grep -q' under pipefail fails at random
# when grep exits early and ldconfig dies of SIGPIPE on its long output.
linker_cache="$(ldconfig -p 2>/dev/null || true)"
has_lib() { grep -q "$1" <<<"$linker_cache"; }
if ! has_lib 'libnetcdf\.so\.19'; then
  # Ubuntu 24.04 renamed the package for the 64-bit time_t transition.
  if apt-cache show libnetcdf19t64 >/dev/null 2>&1; then missing+=(libnetcdf19t64); else missing+=(libnetcdf19); fi
fi
if [ "$want_tests" = 1 ]; then
  command -v ncgen >/dev/null 2>&1 || missing+=(netcdf-bin)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  # Reference tools the tests compare against (Debian's python3, not a pyenv one).
  for pkg in python3-scipy python3-netcdf4 python3-xarray; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]} from the distribution's packages"
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { say "need root or sudo to install ${missing[*]}"; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/tmp/weatherginr-apt.log 2>&1; then
    "${sudo_cmd[@]}" apt-get update -qq >>/tmp/weatherginr-apt.log 2>&1
    "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >>/tmp/weatherginr-apt.log 2>&1 || {
      say "apt-get install ${missing[*]} failed; see /tmp/weatherginr-apt.log"; exit 1; }
  fi
fi

command -v dotnet >/dev/null 2>&1 || { say "the .NET 10 SDK is required: 'dotnet' is not on PATH"; exit 1; }

# --- TorchSharp native library ---------------------------------------------------
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
torch_lib_glob="$packages/torchsharp/0.107.0/runtimes/linux-x64/native/libLibTorchSharp.so"
if [ ! -f "$torch_lib_glob" ]; then
  say "restoring NuGet packages (first run only)"
  dotnet restore "$root/WeatherGinr.sln" --nologo -v q >/tmp/weatherginr-restore.log 2>&1 || {
    say "dotnet restore failed; see /tmp/weatherginr-restore.log"; exit 1; }
fi

libstdcxx="$(awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }' <<<"$linker_cache")"
if [ -n "$libstdcxx" ] && ! grep -aq 'GLIBCXX_3\.4\.32' "$libstdcxx"; then
  python=/usr/bin/python3
  [ -x "$python" ] || python="$(command -v python3)"
  # The package cache is the copy every build copies from; bin folders hold copies made
  # before the patch, so they are patched too.
  while IFS= read -r lib; do
    out="$("$python" "$root/infra/setup/weaken_glibcxx_need.py" "$lib")" || rc=$?
    case "${rc:-0}" in
      0) case "$out" in *"marked"*) say "$out (host libstdc++ lacks GLIBCXX_3.4.32)" ;; esac ;;
      3) ;;
      *) say "could not patch $lib"; exit 1 ;;
    esac
    rc=0
  done < <( { [ -f "$torch_lib_glob" ] && echo "$torch_lib_glob";
              find "$root/src" "$root/tests" "$root/benchmarks" "$root/.weatherginr" -path '*/bin/*' -name libLibTorchSharp.so 2>/dev/null; } )
fi
exit 0
