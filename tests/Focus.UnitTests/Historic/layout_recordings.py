"""Writes PRODML recordings in every storage layout the reader handles, with h5py (an HDF5 writer independent of the
service's reader): contiguous and chunked, int16 and float32, deflate and shuffle, chunks that do not divide the
dimensions, storage never written (fill values), rows so wide that each is read on its own, and a contiguous file
cut short inside its samples.

Usage: python3 layout_recordings.py FOLDER. Sample [row][column] of every file is value(row, column) below, which the
tests compute again (exact in int16 and float32).
"""
import os
import sys
import numpy as np
import h5py

folder = sys.argv[1]
START_US = 1_748_736_000_000_000  # 2025-06-01T00:00:00Z
RATE = 1000.0


def value(rows, columns, dtype):
    r = np.arange(rows, dtype=np.int64)[:, None]
    c = np.arange(columns, dtype=np.int64)[None, :]
    v = (r * 7 + c * 13) % 2001 - 1000
    if np.dtype(dtype).kind == "f":
        return (v + (r % 4) * 0.25).astype(dtype)  # quarters: exact in float32
    return v.astype(dtype)


def recording(name, rows, columns, dtype="<f4", write=True, time_first=False, libver="earliest", **dataset):
    with h5py.File(os.path.join(folder, name), "w", libver=libver) as f:
        acq = f.create_group("Acquisition")
        acq.attrs["schemaVersion"] = "2.1"
        acq.attrs["SpatialSamplingInterval"] = 1.0
        raw = acq.create_group("Raw[0]")
        raw.attrs["OutputDataRate"] = RATE
        times = START_US + np.arange(rows, dtype=np.int64) * int(1e6 / RATE)
        if time_first:
            raw.create_dataset("RawDataTime", data=times.astype("<i8"))
        data = raw.create_dataset("RawData", shape=(rows, columns), dtype=dtype, **dataset)
        data.attrs["Dimensions"] = np.array([b"time", b"locus"])
        if write is True:
            data[...] = value(rows, columns, dtype)
        elif write:  # only these row ranges: the rest stays unallocated (fill value)
            for first, end in write:
                data[first:end] = value(rows, columns, dtype)[first:end]
        if not time_first:
            raw.create_dataset("RawDataTime", data=times.astype("<i8"))


recording("contiguous-float32.h5", 5000, 37)
recording("contiguous-int16.h5", 5000, 37, dtype="<i2")
recording("contiguous-int16-latest.h5", 3000, 300, dtype="<i2", libver="latest")
# 5000 float32 loci: 20 kB a row, so a narrow read reads row by row.
recording("contiguous-wide-rows.h5", 600, 5000)
# Never written: PureHDF reads the fill value.
recording("contiguous-unwritten.h5", 300, 8, write=False, fillvalue=3.0)
recording("chunked-float32.h5", 5000, 37, chunks=(700, 16))
recording("chunked-int16-deflate-shuffle.h5", 5000, 37, dtype="<i2", chunks=(1000, 37), compression="gzip", shuffle=True)
recording("chunked-float32-deflate-latest.h5", 4100, 70, chunks=(512, 9), compression="gzip", compression_opts=1, libver="latest")
recording("chunked-tall-narrow.h5", 9000, 6, chunks=(4096, 1))
# Rows 1000..2999 written, the others' chunks never allocated (fill value 0).
recording("chunked-partly-written.h5", 5000, 20, chunks=(500, 8), write=[(1000, 3000)])

# A contiguous recording whose samples are stored last, cut short inside them.
recording("contiguous-cut-short.h5", 4000, 64, time_first=True)
path = os.path.join(folder, "contiguous-cut-short.h5")
os.truncate(path, os.path.getsize(path) - 64 * 4 * 100)
