#!/usr/bin/env bash
# Runs every test of Focus.Orleans on a fresh Debian 12 machine with the .NET 10 SDK (as root):
# installs what the tests use from Debian, starts the servers they need on loopback (each
# tests/servers/NAME.sh defines start_NAME / stop_NAME and exports how to reach it), runs the
# whole solution's tests (extra arguments go to `dotnet test`, e.g. --filter), then the Python client's
# pytest suite (clients/python/tests: pip-installs the package into a venv over Debian's packages and
# starts its own silo), and stops the servers by PID. With --filter the pytest suite is left out unless
# FOCUS_PYTHON_TESTS=1; FOCUS_PYTHON_TESTS=0 leaves it out always.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

# Debian packages the tests use; servers' scripts add theirs to this list.
packages=(python3-grpcio python3-requests python3-protobuf protobuf-compiler python3-h5py python3-segyio)
# the Python client (clients/python) and its pytest suite
packages+=(protobuf-compiler-grpc python3-numpy python3-xarray python3-matplotlib python3-netcdf4 python3-pytest
  python3-hatchling python3-venv python3-pip python3-mypy)
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

# The Python client's suite: by default only on a whole run (a --filter picks .NET tests).
python_tests=${FOCUS_PYTHON_TESTS:-}
if [ -z "$python_tests" ]; then
  python_tests=1
  for arg in "$@"; do case "$arg" in --filter|--filter=*) python_tests=0 ;; esac; done
fi
pytest_counts=(0 0 0)
if [ "$python_tests" = 1 ]; then
  pylog="$FOCUS_TEST_RUN_DIR/pytest.log"
  venv="$FOCUS_TEST_RUN_DIR/venv"
  pystatus=0
  {
    /usr/bin/python3 -m venv --system-site-packages "$venv" &&
      "$venv/bin/pip" install -q --no-index --no-build-isolation "$root/clients/python" &&
      "$venv/bin/focus" --help >/dev/null &&
      (cd "$root/clients/python" && "$venv/bin/python" -m pytest -p no:cacheprovider -rfE tests)
  } 2>&1 | tee "$pylog" || pystatus=$?
  [ $pystatus -eq 0 ] || status=$pystatus
  # pytest's closing line, e.g. "==== 1 failed, 22 passed, 1 warning in 51.38s ====" (errors count as failed)
  summary=$({ grep -E '^=+ .*(passed|failed|error|skipped|no tests ran).* in [0-9.]+s' "$pylog" || true; } | tail -1)
  count() { { grep -Eo "[0-9]+ $1" <<<"$summary" || true; } | awk '{s+=$1} END {print s+0}'; }
  pytest_counts=("$(count passed)" "$(( $(count failed) + $(count error) ))" "$(count skipped)")
  if [ "${pytest_counts[0]}" -eq 0 ] && [ $pystatus -eq 0 ]; then status=1; echo "test.sh: pytest ran no test"; fi
  if [ $pystatus -ne 0 ] && [ "${pytest_counts[1]}" -eq 0 ]; then pytest_counts[1]=1; fi
fi

# One closing line for the whole run, summed over the test assemblies (a count a logger does not
# print is 0: grep finding nothing must not end the script under pipefail).
passed=$({ grep -Eo 'Passed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
failed=$({ grep -Eo 'Failed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
skipped=$({ grep -Eo 'Skipped: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
passed=$((passed + pytest_counts[0])); failed=$((failed + pytest_counts[1])); skipped=$((skipped + pytest_counts[2]))
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
