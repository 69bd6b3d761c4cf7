#!/usr/bin/env bash
# Scale-out measurements (docs/PERFORMANCE.md, "Scale-out"): starts a PostgreSQL of its own on
# loopback (tests/servers/postgres.sh, as root), builds Release, and runs the cluster tests —
# three Focus.Silo and two Focus.Gateway processes — printing what they measured: /configure
# latency through a standalone gateway, jobs per silo, kill -9 to failed and to slot release,
# the drain time of a graceful shutdown. Usage: bench/scaleout.sh
set -euo pipefail
cd "$(dirname "$0")/.."
packages=()
# shellcheck source=../tests/servers/postgres.sh
source tests/servers/postgres.sh
export FOCUS_TEST_RUN_DIR
FOCUS_TEST_RUN_DIR=$(mktemp -d /tmp/focus-bench.XXXXXX)
trap 'stop_postgres; rm -rf "$FOCUS_TEST_RUN_DIR"' EXIT
start_postgres
dotnet build Focus.Orleans.sln -c Release -v quiet -nologo >/dev/null
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet test tests/Focus.IntegrationTests -c Release --no-build --filter "FullyQualifiedName~Cluster" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E '^\s+(Passed|Failed) |^ [a-z0-9 ]|answers|ready in|jobs per|kill -9|stopped|configure'
