#!/usr/bin/env python3
"""Start time of an analyzer process (Focus:Analyzer:Host=process), without a silo.

For each variant, alternately (so all see the same machine load), N times:
  cold:  `dotnet Focus.Analyzer.dll --job ... --port N`, `start` sent at once: exec -> `started` (port serving)
  spare: `dotnet Focus.Analyzer.dll --spare`: exec -> `ready` (warm-up done), then `start` -> `started`
Variants are NAME=PATH_TO_Focus.Analyzer.dll[;ENV:VALUE,ENV:VALUE] (environment for the child, e.g. DOTNET_TieredPGO:0).

  python3 bench/analyzer_start.py 4 jit=Silo/bin/Release/net10.0/Focus.Analyzer.dll
"""
import json, os, socket, statistics, subprocess, sys, time

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def spec(job_id):
    now_ms = int(time.time() * 1000)  # 5 channels, nfft 1024, starting nfft samples ago at 2000 Hz
    return {"jobId": job_id, "isWaterfall": False, "channelMin": 10, "channelMax": 14, "prr": 2000, "hop": 60,
            "nfft": 1024, "firstBin": 0, "binCount": 513, "streamAmount": 5, "startSampleIndex": now_ms * 2 - 1024}

def run(dll, mode, env):
    port = free_port()
    args = ["dotnet", dll] + (["--spare", "--parent", "0"] if mode == "spare" else ["--job", "b-1", "--port", str(port), "--parent", "0"])
    t0 = time.monotonic()
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True, bufsize=1)
    ready = None
    if mode == "spare":
        line = p.stdout.readline()
        assert '"ready"' in line, line
        ready = time.monotonic() - t0
    t1 = time.monotonic() if mode == "spare" else t0
    p.stdin.write(json.dumps({"command": "start", "port": port, "spec": spec("b-1")}) + "\n")
    p.stdin.flush()
    while (line := p.stdout.readline()) and '"started"' not in line:
        pass
    started = time.monotonic() - t1
    p.stdin.write(json.dumps({"command": "stop", "end": {"kind": "Cancelled", "reason": "bench"}}) + "\n")
    p.stdin.flush()
    p.wait(timeout=30)
    return ready, started

def main():
    n = int(sys.argv[1])
    base = dict(os.environ, Focus__Streams__BindAddress="127.0.0.1", DOTNET_gcServer="0", Logging__LogLevel__Default="Warning")
    results = {}
    for _ in range(n):
        for variant in sys.argv[2:]:
            name, _, rest = variant.partition("=")
            dll, _, envs = rest.partition(";")
            env = dict(base, **dict(e.split(":", 1) for e in envs.split(",") if e))
            for mode in ("cold", "spare"):
                results.setdefault((name, mode), []).append(run(dll, mode, env))
    print(f"load average: {os.getloadavg()}")
    for (name, mode), runs in results.items():
        started = [s * 1000 for _, s in runs]
        ready = [r * 1000 for r, _ in runs if r is not None]
        what = "exec -> started" if mode == "cold" else "start -> started"
        print(f"{name:12} {mode:5} {what}: median {statistics.median(started):.0f} ms ({', '.join(f'{x:.0f}' for x in started)})"
              + (f"; exec -> ready: median {statistics.median(ready):.0f} ms" if ready else ""))

main()
