"""What a historic job should stream, computed in numpy from the arrays a recording holds (independent of the service).

Reads JSON on stdin: {"source": {...}, "nfft": N, "bins": [k, ...], "frames": [[column, row], ...]} and prints
{"times_us": [...], "spectra": [[dB, ...], ...]}: the recording's own clock (each row's recorded time, epoch µs), and
for each frame asked CONTRACT §1's spectrum of that column (channel - 1) from that row: 10*log10(|rfft(w*x)[k]|^2 +
1e-12), w the periodic Hann window scaled to sum(w^2) = 1 (a frame past the recording's end gets []).

Sources: {"kind": "npy", "path": P, "start_us": T0, "interval_us": DT}: the samples segy_recordings.py stored
([time][channel]); row i recorded at T0 + round(i * DT) µs, as its trace headers say.
{"kind": "terra15", "path": P}: h5py reads /data_product/data and its clock /data_product/gps_time (s).
"""
import json
import sys

import numpy as np

request = json.load(sys.stdin)
source = request["source"]
if source["kind"] == "npy":
    data = np.load(source["path"])
    times_us = source["start_us"] + np.round(np.arange(data.shape[0]) * source["interval_us"]).astype(np.int64)
elif source["kind"] == "terra15":
    import h5py
    with h5py.File(source["path"], "r") as f:
        data = f["data_product/data"][:].astype(np.float64)
        times_us = np.round(f["data_product/gps_time"][:] * 1e6).astype(np.int64)
else:
    raise SystemExit(f"unknown source kind {source['kind']}")

n = request["nfft"]
bins = np.asarray(request["bins"], dtype=np.int64)
window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)
window /= np.sqrt(np.sum(window ** 2))
spectra = []
for column, row in request["frames"]:
    if row < 0 or row + n > data.shape[0]:
        spectra.append([])
        continue
    power = np.abs(np.fft.rfft(window * data[row:row + n, column].astype(np.float64))[bins]) ** 2
    spectra.append((10 * np.log10(power + 1e-12)).tolist())
json.dump({"times_us": times_us.tolist(), "spectra": spectra}, sys.stdout)
