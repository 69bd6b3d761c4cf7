"""Writes SEG-Y recordings with segyio (Debian python3-segyio, Equinor's writer, independent of the service's reader).

Usage: python3 segy_recordings.py FOLDER. For every data sample format the service reads (1 IBM float, 2 int32,
3 int16, 5 IEEE float, 8 int8) in both byte orders, plus an ASCII textual header, SEG-Y rev 2 files (byte-order
word, extended samples and interval, extended textual header, traces count) and a file of several records, it writes
NAME.sgy (or .segy) with one trace per channel, the samples as stored in NAME.npy ([time][channel], float64) and a
line per file in manifest.json: name, format, byte order, revision, text coding, channels, samples, the first
sample's time (epoch µs) and the sample interval (µs), each case at its own hour of 2025-04-01.

What segyio (1.8.3, Debian 12) writes itself: the textual header (EBCDIC), the binary and trace headers and the
samples. Where it cannot: the revision bytes (3501-3502) and rev 2's binary header fields (it predates rev 2) are set
with struct after it closed the file, the ASCII text is put in its place, and for int16 and int8 in little-endian order, which segyio 1.8.3 swaps as
if they were 4-byte words (and int8 traces whose length is not a multiple of 4, which it cuts short), the samples are
written by numpy (`astype('<i2').tobytes()`) at segyio's trace offsets. A reader that agrees with these files reads
what the standard says, not what this project thinks.
"""
import json
import struct
import sys

import numpy as np
import segyio
from segyio import _segyio  # noqa: F401  (segyio.tools.native needs it loaded)

folder = sys.argv[1]
DAY_US = 1_743_465_600_000_000  # 2025-04-01T00:00:00Z
CHANNELS = 6
RNG = np.random.default_rng(18)
TRACE_HEADER = 240
manifest = []


def signal(samples, interval_us, scale, integer):
    """Channel c (1-based) carries a tone at 40*c Hz over noise: a swapped channel is told apart at once."""
    t = np.arange(samples) * interval_us * 1e-6
    data = np.empty((samples, CHANNELS))
    for c in range(CHANNELS):
        data[:, c] = np.sin(2 * np.pi * 40 * (c + 1) * t) * (0.3 + 0.1 * c) + 0.2 * RNG.standard_normal(samples)
    data *= scale
    if integer:
        data = np.round(data)
    return data


def write(name, fmt, endian, hour, samples=8000, interval_us=500, scale=1.0, dtype=np.float32, rev2=False,
          ascii_text=False, records=1, ext_headers=0, numpy_samples=False, second=5):
    path = f"{folder}/{name}"
    start_us = DAY_US + hour * 3_600_000_000 + second * 1_000_000
    integer = np.issubdtype(dtype, np.integer)
    total = samples * records
    data = signal(total, interval_us, scale, integer).astype(dtype)
    spec = segyio.spec()
    spec.format = fmt
    spec.samples = np.arange(samples) * interval_us / 1000.0  # ms, as segyio takes them
    spec.tracecount = CHANNELS * records
    spec.endian = endian
    spec.ext_headers = ext_headers
    with segyio.create(path, spec) as f:
        f.bin.update(hdt=int(interval_us) if interval_us == int(interval_us) else 0,
                     hns=samples if samples <= 65535 else 0, ntrpr=CHANNELS)
        for r in range(records):
            t = np.datetime64(start_us + r * int(samples * interval_us), "us").astype(object)
            for c in range(CHANNELS):
                f.header[r * CHANNELS + c] = {
                    segyio.TraceField.TRACE_SEQUENCE_FILE: r * CHANNELS + c + 1,
                    segyio.TraceField.FieldRecord: r + 1,
                    segyio.TraceField.TraceNumber: c + 1,
                    segyio.TraceField.TRACE_SAMPLE_COUNT: samples if samples <= 32767 else 0,
                    segyio.TraceField.TRACE_SAMPLE_INTERVAL: int(interval_us),
                    segyio.TraceField.YearDataRecorded: t.year,
                    segyio.TraceField.DayOfYear: t.timetuple().tm_yday,
                    segyio.TraceField.HourOfDay: t.hour,
                    segyio.TraceField.MinuteOfHour: t.minute,
                    segyio.TraceField.SecondOfMinute: t.second,
                    segyio.TraceField.TimeBaseCode: 4,  # UTC
                }
                if not numpy_samples:
                    f.trace[r * CHANNELS + c] = np.ascontiguousarray(data[r * samples:(r + 1) * samples, c])
    trace0 = 3600 + 3200 * ext_headers
    item = np.dtype(dtype).itemsize
    with open(path, "r+b") as f:
        if numpy_samples:
            order = ">" if endian == "big" else "<"
            for r in range(records):
                for c in range(CHANNELS):
                    offset = trace0 + (r * CHANNELS + c) * (TRACE_HEADER + samples * item) + TRACE_HEADER
                    f.seek(offset)
                    f.write(data[r * samples:(r + 1) * samples, c].astype(np.dtype(dtype).newbyteorder(order)).tobytes())
        if ascii_text:
            f.seek(0)
            lines = [f"C{i + 1:2d} {'ASCII TEXTUAL HEADER WRITTEN BY THE FOCUS TESTS' if i == 0 else ''}" for i in range(40)]
            f.write("".join(line.ljust(80) for line in lines).encode("ascii"))
        f.seek(3200 + 300)
        f.write(bytes([2 if rev2 else 1, 0]))             # 3501-3502 revision (segyio 1.8.3 leaves 0)
        if rev2:
            e = ">" if endian == "big" else "<"
            f.seek(3200 + 68)
            f.write(struct.pack(e + "i", samples))          # 3269-3272 extended samples per trace
            f.write(struct.pack(e + "d", interval_us))      # 3273-3280 extended sample interval
            f.seek(3200 + 96)
            f.write(struct.pack(e + "I", 16909060))         # 3297-3300 byte-order word in the file's order
            f.seek(3200 + 312)
            f.write(struct.pack(e + "QQ", CHANNELS * records, trace0))  # 3513-3528 traces, first trace offset
    # What the file holds, read back by segyio where it reads the file right (IBM values are IBM's, not the input's).
    stored = data.astype(np.float64)
    if rev2 and fmt == 1:  # segyio 1.8.3 opens no rev 2 file: its IBM conversion on the stored words
        for c in range(CHANNELS):
            raw = np.fromfile(path, dtype=np.uint32, count=samples, offset=trace0 + c * (TRACE_HEADER + samples * 4) + TRACE_HEADER)
            stored[:, c] = segyio.tools.native(raw, format=1)
    elif not numpy_samples and not rev2:
        with segyio.open(path, ignore_geometry=True, endian=endian) as f:
            for r in range(records):
                for c in range(CHANNELS):
                    stored[r * samples:(r + 1) * samples, c] = f.trace[r * CHANNELS + c]
    np.save(f"{path}.npy", stored)
    manifest.append({
        "name": name, "format": fmt, "endian": endian, "revision": 2 if rev2 else 1, "ascii": ascii_text,
        "channels": CHANNELS, "samples": total, "records": records, "start_us": start_us, "interval_us": interval_us,
        "npy": f"{name}.npy",
    })


write("f1-ibm-be.sgy", 1, "big", 1)
write("f1-ibm-le.sgy", 1, "little", 2)
write("f2-int32-be.sgy", 2, "big", 3, scale=1e6, dtype=np.int32)
write("f2-int32-le.sgy", 2, "little", 4, scale=1e6, dtype=np.int32)
write("f3-int16-be.sgy", 3, "big", 5, scale=8000, dtype=np.int16)
write("f3-int16-le.sgy", 3, "little", 6, scale=8000, dtype=np.int16, numpy_samples=True)
write("f5-ieee-be.sgy", 5, "big", 7)
write("f5-ieee-le.sgy", 5, "little", 8)
write("f8-int8-be.sgy", 8, "big", 9, scale=50, dtype=np.int8)
write("f8-int8-le.sgy", 8, "little", 10, scale=50, dtype=np.int8, numpy_samples=True)
write("f5-ascii-be.sgy", 5, "big", 11, ascii_text=True)
# Rev 2: 70000 samples (past the 16-bit field) at 312.5 µs (3200 Hz, no whole µs), byte-order word, an extended
# textual header, traces and first-trace offset stated.
write("rev2-ieee-le.segy", 5, "little", 12, samples=70000, interval_us=312.5, rev2=True, ext_headers=1)
write("rev2-ibm-be.segy", 1, "big", 13, samples=70000, interval_us=312.5, rev2=True)
# Three records (shots) of 1 s each, one after the other: channel c is trace c of each.
write("records-int16-be.sgy", 3, "big", 14, samples=2000, scale=8000, dtype=np.int16, records=3)

with open(f"{folder}/manifest.json", "w") as f:
    json.dump(manifest, f, indent=1)
