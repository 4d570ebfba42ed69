#!/usr/bin/env bash
# Reproducible benchmarks: ./bench.sh <scenario> [arguments]
#   sandbox [seconds]                 runs per second and per-run overhead of the WASM sandbox against bare Wasmtime
#   balancer [callers] [seconds]      the trust-weighted balancer: decisions/s and latency with 10 to 10,000 workers,
#                                     share accuracy, capacity violations (needs PostgreSQL; starts a throwaway one)
#   chaos [tasks] [kill-every-s] [submit-s]  3 silo and 3 agent processes under SIGKILLs: lost tasks, double
#                                     settlement, journal sum, reassignment and retry timings, false deaths
#   realtime [clients] [tasks/s] [s]  one silo, 1,000 WebSocket clients on one topic: frames fanned out per second,
#                                     replay of 1,000 missed events, memory per idle connection, 100 forced reconnects
# Progress goes to stderr; the table and the closing summary line to stdout.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
scenario=${1:-}
shift || true
case "$scenario" in
  sandbox)
    dotnet build bench/Sandbox -c Release -nologo -clp:ErrorsOnly >/dev/null
    dotnet bench/Sandbox/bin/Release/net10.0/Gstd.Bench.Sandbox.dll "$@"
    ;;
  balancer)
    ensure_postgres >&2
    throwaway_postgres >&2
    dotnet build bench/Balancer -c Release -nologo -clp:ErrorsOnly >/dev/null
    # The in-process cluster writes its logs to the working directory: the scratch one, removed on exit.
    root=$(pwd)
    (cd "$GSTD_SCRATCH" && dotnet "$root/bench/Balancer/bin/Release/net10.0/Gstd.Bench.Balancer.dll" "$@")
    ;;
  chaos)
    ensure_postgres >&2
    throwaway_postgres >&2
    dotnet build bench/Chaos -c Release -nologo -clp:ErrorsOnly >/dev/null
    dotnet build src/Worker -c Release -nologo -clp:ErrorsOnly >/dev/null
    root=$(pwd)
    (cd "$GSTD_SCRATCH" && dotnet "$root/bench/Chaos/bin/Release/net10.0/Gstd.Bench.Chaos.dll" "$@")
    ;;
  realtime)
    ensure_postgres >&2
    throwaway_postgres >&2
    dotnet build bench/Realtime -c Release -nologo -clp:ErrorsOnly >/dev/null
    root=$(pwd)
    (cd "$GSTD_SCRATCH" && dotnet "$root/bench/Realtime/bin/Release/net10.0/Gstd.Bench.Realtime.dll" "$@")
    ;;
  *)
    echo "usage: ./bench.sh sandbox [seconds] | balancer [callers] [seconds] | chaos [tasks] [kill-every-s] [submit-s] | realtime [clients] [tasks/s] [seconds]" >&2
    exit 2
    ;;
esac
