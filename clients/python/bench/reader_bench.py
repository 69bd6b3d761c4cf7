#!/usr/bin/env python3
"""How fast a Python reader takes a job's lines, against the raw gRPC rate of the same job.

Plays the service's sample recording (historic playback runs as fast as the client reads) and times,
per pass: raw gRPC (messages received and parsed by protobuf, payload not decoded), ``Job.lines()``
(decoded to numpy frames with gap accounting), ``Job.read_numpy()`` (plus gap filling: the hole's
NaN rows) and ``Job.read()`` (plus the xarray.DataArray). MB/s counts the float32 payload received.

    dotnet run --project Silo -c Release &            # or any Focus service with the sample recording
    python3 clients/python/bench/reader_bench.py --url http://127.0.0.1:5000 --passes 3
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Callable

from focus import Focus, Job


def raw(job: Job, stream: int) -> tuple[int, int]:
    lines = payload = 0
    for message in job.raw_messages(stream):
        lines += len(message.main_data)
        payload += sum(len(d) for d in message.main_data)
    return lines, payload


def decoded(job: Job, stream: int) -> tuple[int, int]:
    lines = payload = 0
    for frame in job.lines(stream):
        lines += len(frame)
        payload += frame.values.nbytes
    return lines, payload


def each_stream(job: Job, read: Callable[[Job, int], tuple[int, int]]) -> tuple[int, int]:
    if job.stream_amount == 1:
        return read(job, 0)
    with ThreadPoolExecutor(job.stream_amount) as pool:
        results = list(pool.map(lambda s: read(job, s), range(job.stream_amount)))
    return sum(r[0] for r in results), sum(r[1] for r in results)


def whole(job: Job, xarray: bool) -> tuple[int, int]:
    data = job.read() if xarray else job.read_numpy()
    values = data.values
    gap = data.gap.values if xarray else data.gap
    received = int((gap == "").sum()) * (values.shape[0] if values.ndim == 3 else 1)
    return received, received * values.shape[-1] * 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    focus = Focus(args.url)
    now = datetime.now(timezone.utc) - timedelta(minutes=10)
    midnight = datetime(now.year, now.month, now.day, tzinfo=timezone.utc)
    spans = focus.recordings(midnight, midnight + timedelta(minutes=10))
    start, end = spans[0][0], spans[-1][1]
    print(f"sample recording {start:%Y-%m-%d %H:%M}..{end:%H:%M} UTC; load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores")
    print(f"{'job':<34} {'reader':<18} {'lines':>8} {'lines/s':>10} {'MB/s':>8}  (median of {args.passes})")
    for label, options in (("SINGLECHANNEL ch 12, 257 bins", {"channels": 12}),
                           ("MULTICHANNEL ch 1..16, 257 bins", {"channels": (1, 16)})):
        with focus.configure(start=start, end=end, **options) as job:
            for reader, run in (("raw gRPC", lambda: each_stream(job, raw)),
                                ("Job.lines()", lambda: each_stream(job, decoded)),
                                ("Job.read_numpy()", lambda: whole(job, False)),
                                ("Job.read()", lambda: whole(job, True))):
                rates = []
                for _ in range(args.passes):
                    began = time.perf_counter()
                    lines, payload = run()
                    took = time.perf_counter() - began
                    rates.append((lines / took, payload / took / 1e6, lines))
                lps = statistics.median(r[0] for r in rates)
                mbs = statistics.median(r[1] for r in rates)
                print(f"{label:<34} {reader:<18} {rates[0][2]:>8} {lps:>10,.0f} {mbs:>8.1f}")


if __name__ == "__main__":
    main()
