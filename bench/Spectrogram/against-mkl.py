#!/usr/bin/python3
"""Interleaved MKL vs this engine on a loaded, shared machine (issue 15). Run from a writable copy of the yardstick
whose build/ holds stft_mkl (run.sh builds it), e.g.
    cd /tmp/bench-engine && FOCUS_DLL=.../Spectrogram.dll EXTRA="focus256=Vector256" ROUNDS=5 \
        /work/h-engine/bench/Spectrogram/against-mkl.py
Every round runs each implementation once per case and thread count (RUNS timed passes after one warm-up, in
turn, so all see the same moments of the load) and keeps its fastest pass in wall time and in process CPU time
(`cpu_min_s`: clock_gettime(CLOCK_PROCESS_CPUTIME_ID) around a pass; the copy's c/stft_mkl.c was given the same
two lines as Spectrogram's Program.cs). The table shows the best of the rounds and focus / mkl for both.
EXTRA="name=WIDTH ..." adds the engine capped at a SIMD width (FOCUS_BENCH_WIDTH); BEFORE_DLL=.../Spectrogram.dll adds
"before", another build of the engine (e.g. the base of a change), in the same rounds.
MKL256=1 adds "mkl256", the fair opponent of simd:Vector256 on an AVX2 machine: MKL_ENABLE_INSTRUCTIONS=AVX2 (its
JSON's "mkl" field then names AVX2) running build/stft_mkl_avx2, stft_mkl.c compiled without AVX-512 for the
copy + window and power + dB around MKL (built here if missing); implementations whose name contains 256 get a
ratio against it too."""
import json, os, subprocess
cases = os.environ.get("CASES", "A B C").split()
threads = [int(t) for t in os.environ.get("THREADS", "1 2").split()]
rounds = int(os.environ.get("ROUNDS", "3")); runs = int(os.environ.get("RUNS", "3"))
impls = {"mkl": (["./build/stft_mkl"], None), "focus": (["dotnet", os.environ["FOCUS_DLL"]], None)}
if os.environ.get("MKL256") == "1":
    if not os.path.exists("build/stft_mkl_avx2"):
        subprocess.run("gcc -O3 -march=native -mno-avx512f -mprefer-vector-width=256 -ffast-math -fopenmp -I/usr/include/mkl "
                       "c/stft_mkl.c c/mkl_cpu.c build/gen.o -o build/stft_mkl_avx2 "
                       "-lmkl_gf_lp64 -lmkl_sequential -lmkl_core -lpthread -lm -ldl", shell=True, check=True)
    impls["mkl256"] = (["./build/stft_mkl_avx2"], None)
if os.environ.get("BEFORE_DLL"):  # another build of the engine in the same rounds (a change measured against its base)
    impls["before"] = (["dotnet", os.environ["BEFORE_DLL"]], None)
for extra in os.environ.get("EXTRA", "").split():
    name, width = extra.split("=")
    impls[name] = (["dotnet", os.environ["FOCUS_DLL"]], width)
best, loads = {}, []
for rnd in range(rounds):
    loads.append(os.getloadavg()[0])
    for case in cases:
        for thr in threads:
            for name, (cmd, width) in impls.items():
                env = dict(os.environ, OMP_NUM_THREADS=str(thr), OMP_PROC_BIND="true")
                if width: env["FOCUS_BENCH_WIDTH"] = width
                if name == "mkl256": env["MKL_ENABLE_INSTRUCTIONS"] = "AVX2"
                cpus = "0" if thr == 1 else f"0-{thr - 1}"
                out = subprocess.run(["taskset", "-c", cpus] + cmd + [case, str(thr), str(runs)], env=env,
                                     capture_output=True, text=True, check=True).stdout
                j = json.loads([l for l in out.splitlines() if l.startswith("{")][-1])
                b = best.setdefault((case, thr, name), [1e9, 1e9])
                b[0], b[1] = min(b[0], j["min_s"]), min(b[1], j["cpu_min_s"])
                print(json.dumps({"round": rnd, "case": case, "thr": thr, "impl": name, "min_s": j["min_s"], "cpu_min_s": j["cpu_min_s"]}), flush=True)
loads.append(os.getloadavg()[0])
print(f"load average (1 min) at the start of each round and at the end: {', '.join(f'{l:.1f}' for l in loads)}")
names = list(impls)
pairs = [(n, "mkl") for n in names[1:] if n != "mkl256"]
if "mkl256" in impls: pairs += [(n, "mkl256") for n in names if "256" in n and n != "mkl256"]
print("| case | thr | " + " | ".join(f"{n} wall s | {n} CPU s" for n in names) + " | " + " | ".join(f"{n}/{d} wall | {n}/{d} CPU" for n, d in pairs) + " |")
print("|---|--:|" + "--:|" * (2 * len(names) + 2 * len(pairs)))
for case in cases:
    for thr in threads:
        cells = [f"{best[(case, thr, n)][0]:.4f} | {best[(case, thr, n)][1]:.4f}" for n in names]
        ratios = [f"{best[(case, thr, n)][0] / best[(case, thr, d)][0]:.2f} | {best[(case, thr, n)][1] / best[(case, thr, d)][1]:.2f}" for n, d in pairs]
        print(f"| {case} | {thr} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
