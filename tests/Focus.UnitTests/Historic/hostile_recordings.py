"""Writes hostile PRODML recordings with h5py (an HDF5 writer independent of the service's reader).

Usage: python3 hostile_recordings.py FOLDER. Each file is a PRODML layout with one lie in it; the
folder catalog must skip every one of them with a reason and go on. Names say what is wrong.
"""
import sys
import numpy as np
import h5py

folder = sys.argv[1]
START_US = 1_740_787_200_000_000  # 2025-03-01T00:00:00Z


def recording(name, rows=100, channels=4, times=None, rate=1000.0, raw_shape=None, raw_chunks=None,
              time_chunks=None, extra=None):
    with h5py.File(f"{folder}/{name}", "w", libver="latest") as f:
        acq = f.create_group("Acquisition")
        acq.attrs["schemaVersion"] = "2.1"
        acq.attrs["SpatialSamplingInterval"] = 1.0
        raw = acq.create_group("Raw[0]")
        raw.attrs["OutputDataRate"] = rate
        shape = raw_shape or (rows, channels)
        if raw_chunks or raw_shape:
            data = raw.create_dataset("RawData", shape=shape, dtype="<f4", chunks=raw_chunks or True)
        else:
            data = raw.create_dataset("RawData", data=np.zeros(shape, dtype="<f4"))
        if times is None:
            times = START_US + np.arange(shape[0], dtype=np.int64) * int(1e6 / 1000)
        if time_chunks:
            raw.create_dataset("RawDataTime", data=np.asarray(times, dtype="<i8"), chunks=time_chunks)
        else:
            raw.create_dataset("RawDataTime", data=np.asarray(times, dtype="<i8"))
        if extra:
            extra(acq, raw, data)


I64 = np.iinfo(np.int64)
# Times that overflow DateTime (µs * 10 ticks past long and past year 9999), or lie before year 1.
recording("time-overflows-long.h5", times=[I64.max - 1000 + i for i in range(100)])
recording("time-after-year-9999.h5", times=[260_000_000_000_000_000 + i * 1000 for i in range(100)])
recording("time-before-year-1.h5", times=[-70_000_000_000_000_000 + i * 1000 for i in range(100)])
# One sample at a rate so small that the recording would end after year 9999.
recording("rate-tiny-end-overflows.h5", rows=1, rate=1e-300)
recording("rate-nan.h5", rows=1, rate=float("nan"))
recording("rate-huge.h5", rows=1, rate=1e300)
# Dimensions: more loci than int holds (2^32 + 1 wraps to 1), and a time axis of 2^40 rows; neither allocated.
recording("loci-beyond-int.h5", raw_shape=(10, 2**32 + 1), raw_chunks=(1, 1024))
recording("rows-beyond-reason.h5", raw_shape=(2**40, 4), raw_chunks=(1024, 4),
          times=START_US + np.arange(10, dtype=np.int64))
# A 1 GiB chunk: reading one sample would inflate it whole.
recording("chunk-of-a-gibibyte.h5", raw_shape=(65536, 4096), raw_chunks=(65536, 4096))


def big_attribute(acq, raw, data):
    # A million-element text attribute where PRODML has one string (dense attribute storage, libver latest).
    acq.attrs.create("schemaVersion", data=np.array([b"2.1"] * 1_000_000, dtype="S3"))


recording("attribute-of-a-million-strings.h5", extra=big_attribute)


def long_text(acq, raw, data):
    acq.attrs["VendorCode"] = np.bytes_(b"x" * 5_000_000)


recording("attribute-of-five-megabytes.h5", extra=long_text)
