#!/usr/bin/env bash
# Sustainable live jobs: one silo against a cluster on this host (docs/PERFORMANCE.md, "Scale-out").
# As root: starts a PostgreSQL of its own on loopback (tests/servers/postgres.sh) under a temp dir,
# builds Release, then runs bench/Focus.LoadBench twice with the same workload — once against one
# silo, once with --cluster (init-db, N silos on that PostgreSQL, one standalone gateway) — and
# prints both runs side by side, ready to paste, followed by the two full reports.
#
# Usage: bench/cluster-capacity.sh [extra Focus.LoadBench options for both runs]
# Environment: JOBS (200) live jobs of CHANNELS (50) channels created by 20 clients, read in STEPS
# (50,100,150; JOBS is always the last step) for READ_SECONDS (20) each; SILOS (3); ROUNDS (1):
# with 2 or more, single and cluster runs alternate; RESULTS: where the reports stay (a new temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-200}
CHANNELS=${CHANNELS:-50}
STEPS=${STEPS:-50,100,150}
READ_SECONDS=${READ_SECONDS:-20}
SILOS=${SILOS:-3}
ROUNDS=${ROUNDS:-1}
RESULTS=${RESULTS:-$(mktemp -d /tmp/focus-capacity-results.XXXXXX)}
mkdir -p "$RESULTS"

packages=()
# shellcheck source=../tests/servers/postgres.sh
source tests/servers/postgres.sh
export FOCUS_TEST_RUN_DIR
FOCUS_TEST_RUN_DIR=$(mktemp -d /tmp/focus-capacity.XXXXXX)
trap 'stop_postgres; rm -rf "$FOCUS_TEST_RUN_DIR"' EXIT
start_postgres >&2

echo "building: dotnet build Silo, Gateway, bench/Focus.LoadBench -c Release" >&2
for project in Silo Gateway bench/Focus.LoadBench; do
  dotnet build "$project" -c Release -v quiet -nologo >/dev/null
done

bench=(dotnet bench/Focus.LoadBench/bin/Release/net10.0/Focus.LoadBench.dll --no-build
  --jobs "$JOBS" --channels "$CHANNELS" --steps "$STEPS" --read-seconds "$READ_SECONDS")
pg_port=$(sed -E 's/.*Port=([0-9]+);.*/\1/' <<<"$FOCUS_TEST_POSTGRES")

# The bench kills its children on every exit path and reports any left; this double-checks the
# cluster's from outside (they carry the connection string of this PostgreSQL in their arguments).
check_orphans() {
  local left
  left=$(ps -eo pid=,args= | grep -F "Port=$pg_port;" | grep -E 'Focus\.(Silo|Gateway)\.dll' || true)
  if [ -n "$left" ]; then
    echo "ORPHANS after the $1 run:" >&2
    echo "$left" >&2
  else
    echo "no child process left after the $1 run" >&2
  fi
}

jsons=()
reports=()
for round in $(seq 1 "$ROUNDS"); do
  for kind in single cluster; do
    args=()
    [ "$kind" = cluster ] && args=(--cluster "$SILOS" --pg "$FOCUS_TEST_POSTGRES")
    json="$RESULTS/$kind-$round.json"
    md="$RESULTS/$kind-$round.md"
    rm -f "$json" "$md"
    echo "=== round $round: $kind ($(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    status=0
    "${bench[@]}" "${args[@]}" --json "$json" --out "$md" "$@" >/dev/null || status=$?
    [ $status -eq 0 ] || echo "the $kind run exited with $status (its report says why)" >&2
    check_orphans "$kind"
    [ -f "$json" ] && jsons+=("$json")
    [ -f "$md" ] && reports+=("$md")
  done
done

echo
echo "machine: $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg); reports in $RESULTS"
echo
[ ${#jsons[@]} -gt 0 ] && dotnet bench/Focus.LoadBench/bin/Release/net10.0/Focus.LoadBench.dll compare "${jsons[@]}"
for md in "${reports[@]}"; do
  echo "<details><summary>Full report: $(basename "$md" .md)</summary>"
  echo
  sed 's/^### /#### /' "$md"
  echo "</details>"
  echo
done
