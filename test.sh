#!/usr/bin/env bash
# Runs every test of Focus.Orleans on a fresh Debian 12 machine with the .NET 10 SDK (as root):
# installs what the tests use from Debian, starts the servers they need on loopback (each
# tests/servers/NAME.sh defines start_NAME / stop_NAME and exports how to reach it), runs the
# whole solution's tests (extra arguments go to `dotnet test`, e.g. --filter), and stops the servers by PID.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

# Debian packages the tests use; servers' scripts add theirs to this list.
packages=(python3-grpcio python3-requests python3-protobuf protobuf-compiler python3-h5py)
servers=()
for script in tests/servers/*.sh; do
  [ -e "$script" ] || continue
  # shellcheck source=/dev/null
  source "$script"
  servers+=("$(basename "$script" .sh)")
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export FOCUS_TEST_RUN_DIR
FOCUS_TEST_RUN_DIR=$(mktemp -d /tmp/focus-test.XXXXXX)
log="$FOCUS_TEST_RUN_DIR/dotnet-test.log"
cleanup() {
  for s in "${servers[@]}"; do "stop_$s" || true; done
  rm -rf "$FOCUS_TEST_RUN_DIR"
}
trap cleanup EXIT
for s in "${servers[@]}"; do "start_$s"; done

status=0
dotnet test Focus.Orleans.sln -c Release "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test assemblies (a count a logger does not
# print is 0: grep finding nothing must not end the script under pipefail).
passed=$({ grep -Eo 'Passed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
failed=$({ grep -Eo 'Failed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
skipped=$({ grep -Eo 'Skipped: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
