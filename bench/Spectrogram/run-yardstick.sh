#!/usr/bin/env bash
# Runs the shared yardstick (../shared/bench beside the repository, read-only) on a temporary copy with this engine plugged in
# as "focus", beside FFTW (and whatever else IMPLS names), in the same run:
#   bench/Spectrogram/run-yardstick.sh                      # IMPLS="fftw focus" CASES="A B C" THREADS="1 2"
#   IMPLS="fftw focus mathnet" REPEAT=3 bench/Spectrogram/run-yardstick.sh
# Every run.sh variable passes through (RUNS, CASES, THREADS, REPEAT, IMPLS). The copy is kept in $YARD
# (default /tmp/focus-yardstick) so out/table.md and out/check.txt can be read afterwards.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shared="${SHARED_BENCH:-$(cd "$here/../../.." && pwd)/shared/bench}"  # ../shared beside the repository
export YARD="${YARD:-/tmp/focus-yardstick}"
dotnet build "$here/Spectrogram.csproj" -c Release -nologo -v q
dll="$here/bin/Release/net10.0/Spectrogram.dll"
rm -rf "$YARD" && cp -r "$shared" "$YARD"
export IMPLS="${IMPLS:-fftw focus}"
export IMPL_CMD_focus="dotnet $dll"
export WITH_FFTW_SIMD="${WITH_FFTW_SIMD:-0}"
"$YARD/run.sh"
