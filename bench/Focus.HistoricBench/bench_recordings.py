"""Writes the recordings `Focus.HistoricBench reads` was measured on (docs/PERFORMANCE.md, "Historic playback"),
with h5py: one minute (120000 rows at 2000 Hz) of 256 float32 channels in four storage layouts, and 30 s of a
2222-channel fiber as float32 and int16 (about 1.4 GB in all); and, in FOLDER/wide, two consecutive one-minute files of
the 2222-channel fiber (2.1 GB), for playing one channel of a wide fiber through the service.

Usage: /usr/bin/python3 bench_recordings.py FOLDER   (Debian's python3-h5py)
"""
import os
import sys
import numpy as np
import h5py

folder = sys.argv[1]
os.makedirs(folder, exist_ok=True)
START_US = 1_746_057_600_000_000  # 2025-05-01T00:00:00Z
RATE = 2000.0


def recording(name, rows, channels, dtype="<f4", start_us=START_US, **layout):
    rng = np.random.default_rng(1)
    with h5py.File(os.path.join(folder, name), "w") as f:
        acq = f.create_group("Acquisition")
        acq.attrs["schemaVersion"] = "2.0"
        raw = acq.create_group("Raw[0]")
        raw.attrs["OutputDataRate"] = RATE
        data = raw.create_dataset("RawData", shape=(rows, channels), dtype=dtype, **layout)
        data.attrs["Dimensions"] = np.array([b"time", b"locus"])
        for first in range(0, rows, 10000):
            block = rng.standard_normal((min(10000, rows - first), channels)) * 1000
            data[first:first + len(block)] = block.astype(dtype)
        raw.create_dataset("RawDataTime", data=(start_us + np.arange(rows) * int(1e6 / RATE)).astype("<i8"))


recording("contiguous-256.h5", 120000, 256)
recording("chunked-1000x256.h5", 120000, 256, chunks=(1000, 256))
recording("chunked-4096x16.h5", 120000, 256, chunks=(4096, 16))
recording("chunked-1000x64-deflate.h5", 120000, 256, chunks=(1000, 64), compression="gzip", compression_opts=1)
recording("contiguous-2222.h5", 60000, 2222)
recording("contiguous-2222-int16.h5", 60000, 2222, dtype="<i2")
os.makedirs(os.path.join(folder, "wide"), exist_ok=True)
for minute in range(2):
    recording(os.path.join("wide", f"2222-minute-{minute}.h5"), 120000, 2222, start_us=START_US + minute * 60_000_000)
