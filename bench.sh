#!/usr/bin/env bash
# Reproducible benchmarks: ./bench.sh <scenario> [arguments]
#   sandbox [seconds]                 runs per second and per-run overhead of the WASM sandbox against bare Wasmtime
#   balancer [callers] [seconds]      the trust-weighted balancer: decisions/s and latency with 10 to 10,000 workers,
#                                     share accuracy, capacity violations (needs PostgreSQL; starts a throwaway one)
#   chaos [tasks] [kill-every-s] [submit-s]  3 silo and 3 agent processes under SIGKILLs: lost tasks, double
#                                     settlement, journal sum, reassignment and retry timings, false deaths
#   dashboard [tasks] [workers] [s]   the client dashboard in headless Chromium with 1,000 tasks and 500 scripted
#                                     workers streaming events: time to first render and longest frame, against an
#                                     empty account in the same run
#   e2e [--tasks N] [--agents N] [--capacity N] [--clients N] [--scale 1,10,100] [--scale-tasks N] [--retry-tasks N]
#                                     GSTD end to end (real silo and agent processes, HTTP + WebSockets, accept) against
#                                     Hangfire.PostgreSql and the server's one-row commit ceiling, on a durable PostgreSQL
#                                     (fsync and synchronous_commit on): tasks/s, latency, write transactions per task,
#                                     CPU, the retry path and 1/10/100 logical workers
#   realtime [clients] [tasks/s] [s]  one silo, 1,000 WebSocket clients on one topic: frames fanned out per second,
#                                     replay of 1,000 missed events, memory per idle connection, 100 forced reconnects
# Progress goes to stderr; the table and the closing summary line to stdout.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
scenario=${1:-}
shift || true

# Server settings for with_postgres; empty means throwaway_postgres's fast, non-durable ones.
pg_settings=()

# Builds bench/<Project> and runs it against a throwaway PostgreSQL, from that server's scratch directory (an
# in-process cluster writes its logs to the working directory; the scratch one is removed on exit).
with_postgres() {
  local project=$1
  shift
  ensure_postgres >&2
  throwaway_postgres "${pg_settings[@]}" >&2
  dotnet build "bench/$project" -c Release -nologo -clp:ErrorsOnly >/dev/null
  local root
  root=$(pwd)
  (cd "$GSTD_SCRATCH" && dotnet "$root/bench/$project/bin/Release/net10.0/Gstd.Bench.$project.dll" "$@")
}

case "$scenario" in
  sandbox)
    dotnet build bench/Sandbox -c Release -nologo -clp:ErrorsOnly >/dev/null
    dotnet bench/Sandbox/bin/Release/net10.0/Gstd.Bench.Sandbox.dll "$@"
    ;;
  balancer)
    with_postgres Balancer "$@"
    ;;
  chaos)
    dotnet build src/Worker -c Release -nologo -clp:ErrorsOnly >/dev/null
    with_postgres Chaos "$@"
    ;;
  e2e)
    # Equal durability for every system measured: each commit is flushed to disk before it is acknowledged.
    pg_settings=(fsync=on synchronous_commit=on full_page_writes=on)
    dotnet build src/Worker -c Release -nologo -clp:ErrorsOnly >/dev/null
    with_postgres EndToEnd "$@"
    ;;
  realtime)
    with_postgres Realtime "$@"
    ;;
  dashboard)
    source scripts/apt.sh
    source scripts/node.sh
    command -v chromium >/dev/null || apt_install chromium
    ensure_node >&2
    (cd src/Gateway/ClientApp && npm ci --no-audit --no-fund >&2)
    with_postgres Dashboard "$@"
    ;;
  *)
    echo "usage: ./bench.sh sandbox [seconds] | balancer [callers] [seconds] | chaos [tasks] [kill-every-s] [submit-s] | e2e [--tasks N] [--agents N] [--scale 1,10,100] ... | realtime [clients] [tasks/s] [seconds] | dashboard [tasks] [workers] [seconds]" >&2
    exit 2
    ;;
esac
