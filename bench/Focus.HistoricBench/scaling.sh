#!/usr/bin/env bash
# Historic playback on 1 core against 2 cores, alternated so a shared machine's load falls on both alike, beside the
# engine's own yardstick figure for the same shape (case A: 256 channels, nfft 1024, hop 256, 0..1000 Hz at 2000 Hz).
# Each round runs, in this order: the yardstick on one core, the playback on one core (gate 1), the yardstick with 2
# threads on both cores, the playback on both (gate 2); the single core alternates between cpu 0 and cpu 1. Every
# program does a warm-up pass and REPEAT timed ones; a round's figure is its best. Prints every RESULT line, the
# load average before each round, and per round the 2-core / 1-core ratio of the playback.
#   ROUNDS=6 REPEAT=3 bench/Focus.HistoricBench/scaling.sh [extra `play` options, e.g. --seconds 120]
# Build first: dotnet build -c Release bench/Focus.HistoricBench bench/Spectrogram
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${ROUNDS:-6}
repeat=${REPEAT:-3}
play=bench/Focus.HistoricBench/bin/Release/net10.0/Focus.HistoricBench.dll
yard=bench/Spectrogram/bin/Release/net10.0/Spectrogram.dll
chs_a=$((256 * 120000)) # case A's channel-samples

yardstick() { # cpus threads -> channel-samples/s of the best run
  local json
  json=$(taskset -c "$1" dotnet "$yard" A "$2" "$repeat")
  python3 -c "import json,sys; j=json.loads(sys.argv[1]); print('%.3e' % ($chs_a / j['min_s']))" "$json"
}
playback() { # cpus gate -> RESULT line
  taskset -c "$1" dotnet "$play" play --gate "$2" --repeat "$repeat" "${@:3}" | grep '^RESULT'
}

for round in $(seq 1 "$rounds"); do
  one=$(( (round - 1) % 2 ))
  echo "round $round: load average $(cut -d' ' -f1-3 /proc/loadavg); single core = cpu $one"
  y1=$(yardstick "$one" 1)
  p1=$(playback "$one" 1 "$@")
  y2=$(yardstick 0,1 2)
  p2=$(playback 0,1 2 "$@")
  echo "  yardstick A 1 thread: $y1 channel-samples/s"
  echo "  playback 1 core:  $p1"
  echo "  yardstick A 2 threads: $y2 channel-samples/s"
  echo "  playback 2 cores: $p2"
  python3 - "$p1" "$p2" "$y1" "$y2" <<'EOF'
import re, sys
def best(line): return float(re.search(r'best_chs=(\S+)', line).group(1))
p1, p2, y1, y2 = best(sys.argv[1]), best(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"  playback 2 cores / 1 core = {p2 / p1:.2f}; yardstick 2 / 1 = {y2 / y1:.2f}; "
      f"engine / playback (overhead) = {y1 / p1:.2f} on 1 core, {y2 / p2:.2f} on 2")
EOF
done
echo "end: load average $(cut -d' ' -f1-3 /proc/loadavg)"
