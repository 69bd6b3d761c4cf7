#!/usr/bin/env bash
# Runs every test of Focus.Orleans on a fresh Debian 12 machine with the .NET 10 SDK (as root):
# installs what the tests use from Debian, then builds and runs the whole solution's tests.
set -euo pipefail
cd "$(dirname "$0")"

# The README's Python client is tested for real: Debian's grpcio, requests, protobuf and protoc.
need=()
/usr/bin/python3 -c 'import grpc, requests, google.protobuf' 2>/dev/null || need+=(python3-grpcio python3-requests python3-protobuf)
command -v protoc >/dev/null || need+=(protobuf-compiler)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Focus.Orleans.sln -c Release 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test assemblies.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
