#!/usr/bin/env bash
# Reproducible benchmarks: ./bench.sh <scenario> [arguments]
#   sandbox [seconds]   runs per second and per-run overhead of the WASM sandbox against bare Wasmtime
set -euo pipefail
cd "$(dirname "$0")"
scenario=${1:-}
shift || true
case "$scenario" in
  sandbox)
    dotnet build bench/Sandbox -c Release -nologo -clp:ErrorsOnly >/dev/null
    dotnet bench/Sandbox/bin/Release/net10.0/Gstd.Bench.Sandbox.dll "$@"
    ;;
  *)
    echo "usage: ./bench.sh sandbox [seconds]" >&2
    exit 2
    ;;
esac
