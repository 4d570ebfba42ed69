#!/usr/bin/env bash
# Runs GSTD locally: PostgreSQL (data in .gstd/), a silo with the API at http://127.0.0.1:5080 (Development:
# faucet and self-service workers on), demo accounts, two worker agents and a small demo workload.
# Ctrl+C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
source scripts/postgres.sh

command -v dotnet >/dev/null || { echo "run.sh needs the .NET 10 SDK (dotnet) on PATH." >&2; exit 1; }
source scripts/node.sh
ensure_node
ensure_postgres

state="$root/.gstd"
mkdir -p "$state"
chmod 700 "$state"
# Below Linux's ephemeral range (32768-60999), where an outgoing connection's local port could hold it just then.
pg_port=${GSTD_PG_PORT:-25432}
http_url=${GSTD_URL:-http://127.0.0.1:5080}
[ -f "$state/pg.password" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$state/pg.password")
pg_password=$(cat "$state/pg.password")
pids=()

cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping GSTD…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_postgres "$state/pg"
}
trap cleanup INT TERM EXIT

if [ "$(id -u)" -eq 0 ]; then chmod 755 "$root" "$state"; fi
if [ -f "$state/pg/postmaster.pid" ] && pg_as_owner "$(pg_bindir)/pg_ctl" -D "$state/pg" status >/dev/null 2>&1; then
  echo "PostgreSQL is already running in $state/pg."
else
  port_is_free "$pg_port" || { echo "Port $pg_port is taken; set GSTD_PG_PORT to a free port." >&2; exit 1; }
  start_postgres "$state/pg" "$pg_port" "$pg_password"
fi
PGPASSWORD="$pg_password" "$(pg_bindir)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'gstd'" | grep -q 1 \
  || PGPASSWORD="$pg_password" "$(pg_bindir)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qc "CREATE DATABASE gstd"

echo "Building…"
dotnet build src/Silo -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build src/Worker -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build demo/Gstd.Demo -c Release -nologo -clp:ErrorsOnly >/dev/null

export ConnectionStrings__Gstd="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=gstd;Maximum Pool Size=50"
export ASPNETCORE_ENVIRONMENT=Development DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet src/Silo/bin/Release/net10.0/Gstd.Silo.dll --urls "$http_url" \
  --Gstd:SelfServiceWorkers true --Gstd:Map:MinWorkersPerCell 1 --Gstd:AdminKeyFile "$state/admin.key" >"$state/silo.log" 2>&1 &
pids+=($!)
echo -n "Starting the silo at $http_url "
for _ in $(seq 1 120); do
  if curl -fs "$http_url/health/ready" >/dev/null 2>&1; then break; fi
  kill -0 "${pids[0]}" 2>/dev/null || { echo; echo "The silo stopped; see $state/silo.log" >&2; tail -20 "$state/silo.log" >&2; exit 1; }
  echo -n "."
  sleep 1
done
curl -fs "$http_url/health/ready" >/dev/null || { echo; echo "The silo did not become ready; see $state/silo.log" >&2; exit 1; }
echo " ready."

demo=demo/Gstd.Demo/bin/Release/net10.0/Gstd.Demo.dll
echo "Demo accounts (also in $state/credentials.json):"
dotnet "$demo" setup --server "$http_url" --admin-key-file "$state/admin.key" --credentials "$state/credentials.json"
worker_key=$(sed -n 's/.*"worker":"\([^"]*\)".*/\1/p' "$state/credentials.json")

agent=src/Worker/bin/Release/net10.0/Gstd.Worker.dll
dotnet "$agent" --server "$http_url" --api-key "$worker_key" --name amsterdam --lat 52.37 --lon 4.90 --capacity 2 \
  --key-dir "$state/worker-keys" >"$state/agent-amsterdam.log" 2>&1 &
pids+=($!)
dotnet "$agent" --server "$http_url" --api-key "$worker_key" --name singapore --lat 1.35 --lon 103.82 --capacity 2 \
  --key-dir "$state/worker-keys" >"$state/agent-singapore.log" 2>&1 &
pids+=($!)
dotnet "$demo" workload --server "$http_url" --credentials "$state/credentials.json" >"$state/workload.log" 2>&1 &
pids+=($!)

echo
echo "GSTD is running at $http_url — logs in $state/. Press Ctrl+C to stop."
wait "${pids[0]}"
