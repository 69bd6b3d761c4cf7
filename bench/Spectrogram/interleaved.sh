#!/usr/bin/env bash
# Noise-robust companion of run-yardstick.sh for a shared, loaded machine: runs FFTW (the yardstick's build in
# $YARD, made by run-yardstick.sh) and this engine alternately ROUNDS times per case and thread count, then
# prints the best (minimum) single-run time of each and their ratio. The minimum is the run least disturbed
# by other processes; run.sh's medians are only meaningful on an idle machine.
#   ROUNDS=5 CASES="A B C" THREADS="1 2" bench/Spectrogram/interleaved.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
YARD="${YARD:-/tmp/focus-yardstick}"
ROUNDS=${ROUNDS:-5}; CASES=${CASES:-"A B C"}; THREADS=${THREADS:-"1 2"}; RUNS=${RUNS:-5}
dll="$here/bin/Release/net10.0/Spectrogram.dll"
[ -x "$YARD/build/stft_fftw" ] && [ -f "$dll" ] || { echo "run run-yardstick.sh first (builds $YARD/build/stft_fftw and $dll)"; exit 1; }
out="$YARD/out/interleaved.jsonl"; : > "$out"
for round in $(seq "$ROUNDS"); do
  for case in $CASES; do
    for thr in $THREADS; do
      cpus=0; [ "$thr" -gt 1 ] && cpus=0-$((thr - 1))
      OMP_NUM_THREADS=$thr OMP_PROC_BIND=true taskset -c $cpus "$YARD/build/stft_fftw" "$case" "$thr" "$RUNS" >> "$out"
      taskset -c $cpus dotnet "$dll" "$case" "$thr" "$RUNS" >> "$out"
    done
  done
done
python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
best = {}
for r in rows:
    k = (r["case"], r["threads"], r["impl"])
    best[k] = min(best.get(k, 1e9), r["min_s"])
print("| case | thr | fftw best s | focus best s | focus / fftw | focus speed-up 1->2 thr |")
print("|---|--:|--:|--:|--:|--:|")
for case in sorted({k[0] for k in best}):
    for thr in sorted({k[1] for k in best if k[0] == case}):
        f, g = best.get((case, thr, "fftw")), best.get((case, thr, "focus"))
        one = best.get((case, 1, "focus"))
        sp = f"{one / g:.2f}" if one and thr > 1 else ""
        print(f"| {case} | {thr} | {f:.4f} | {g:.4f} | {g / f:.2f} | {sp} |")
PY
