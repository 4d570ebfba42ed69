#!/usr/bin/env bash
# Builds GSTD once and runs every test suite against a throwaway PostgreSQL server.
# Prints one closing line "N passed, N failed" and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
source scripts/postgres.sh

command -v dotnet >/dev/null || { echo "test.sh needs the .NET 10 SDK (dotnet) on PATH." >&2; exit 1; }
source scripts/node.sh
ensure_node
ensure_postgres
# The browser tests drive Debian's Chromium with playwright-core.
command -v chromium >/dev/null || apt_install chromium

throwaway_postgres
work=$GSTD_SCRATCH
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== build"
dotnet build Gstd.sln -c Release -nologo -clp:ErrorsOnly

passed=0 failed=0 status=0
results="$work/results"
mkdir -p "$results"
# The browser tests' screenshots of every page, kept after the run (the scratch directory is not).
export GSTD_SCREENSHOTS="$PWD/test-output/screenshots"
rm -rf "$GSTD_SCREENSHOTS"
for project in tests/*/*Tests.csproj; do
  name=$(basename "$project" .csproj)
  start=$(date +%s)
  echo "== $name"
  if ! dotnet test "$project" -c Release --no-build --nologo \
      --blame-hang-timeout 4m --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
      --logger "console;verbosity=minimal"; then
    status=1
  fi
  trx="$results/$name.trx"
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  else
    echo "$name produced no results file" >&2
    status=1
  fi
  echo "   $name took $(( $(date +%s) - start )) s"
done

# The web app's TypeScript: type check, then vitest (its JUnit report counts like the .NET suites).
start=$(date +%s)
echo "== ClientApp (vitest)"
junit="$results/ClientApp.xml"
if ! (cd src/Gateway/ClientApp && npm ci --no-audit --no-fund --loglevel=error && npx tsc --noEmit \
      && npx vitest run --reporter=default --reporter=junit --outputFile.junit="$junit"); then
  status=1
fi
if [ -f "$junit" ]; then
  suites=$(grep -o '<testsuites [^>]*>' "$junit" | head -1)
  t=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$suites")
  f=$(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$suites")
  e=$(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<<"$suites")
  failed=$((failed + ${f:-0} + ${e:-0})); passed=$((passed + ${t:-0} - ${f:-0} - ${e:-0}))
else
  echo "ClientApp produced no results file" >&2
  status=1
fi
echo "   ClientApp took $(( $(date +%s) - start )) s"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] || status=1
exit $status
