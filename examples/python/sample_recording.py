#!/usr/bin/env python3
# %% [markdown]
# # The 50 Hz tone in the service's sample recording
#
# Notebook-style (`# %%` cells: run it whole, or cell by cell in VS Code / Jupyter). Needs the
# `focus-orleans` package (`pip install --no-build-isolation ./clients/python`, see clients/python/README.md)
# and a running service (`dotnet run --project Silo`), which records a sample of its simulated fiber at
# start: channels 1..16 (a 50 Hz tone on 10..14), two minutes, a one-minute hole, two more minutes.
#
#     python3 examples/python/sample_recording.py --url http://127.0.0.1:5000 --out tone.png

# %%
import argparse
from datetime import datetime, timedelta, timezone

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from focus import Focus  # noqa: E402

parser = argparse.ArgumentParser(description="Play the sample recording and plot its 50 Hz tone")
parser.add_argument("--url", default="http://127.0.0.1:5000")
parser.add_argument("--out", default="sample-recording.png")
args, _ = parser.parse_known_args()
focus = Focus(args.url)

# %% Where is today's sample? It starts at midnight UTC (of ten minutes ago).
now = datetime.now(timezone.utc) - timedelta(minutes=10)
midnight = datetime(now.year, now.month, now.day, tzinfo=timezone.utc)
recordings = focus.recordings(midnight, midnight + timedelta(minutes=10))
for start, end in recordings:
    print(f"recording {start:%H:%M:%S} .. {end:%H:%M:%S}")
window = (recordings[0][0], recordings[-1][1])

# %% Play channel 12 over the whole window: a historic job streams as fast as we read.
with focus.configure(channels=12, freq=(0, 500), start=window[0], end=window[1]) as job:
    power = job.read()                      # xarray.DataArray (time, frequency), dB
print(f"job {job.job_id}: {power.sizes['time']} lines, {int((power.gap == 'hole').sum())} of them in the hole")

# %% The tone: the strongest bin of the mean spectrum (NaN rows of the hole left out).
spectrum = power.mean("time", skipna=True)
peak = float(spectrum.frequency[int(np.argmax(spectrum.values))])
print(f"peak {peak:.2f} Hz, {float(spectrum.max()) - float(spectrum.median()):.1f} dB over the median bin")

# %% A picture: the spectrogram (the hole grey) and the mean spectrum.
figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 8), height_ratios=[3, 1])
colours = matplotlib.colormaps["viridis"].copy()
colours.set_bad("#808080")
times = mdates.date2num(power.time.values)
low, high = np.nanpercentile(power.values, [1, 99.9])
image = top.imshow(power.values, aspect="auto", interpolation="nearest", cmap=colours, vmin=low, vmax=high,
                   extent=(float(power.frequency[0]), float(power.frequency[-1]), times[-1], times[0]))
top.yaxis_date()
top.yaxis.set_major_formatter(mdates.DateFormatter("%H:%M:%S"))
top.set_xlabel("frequency (Hz)")
top.set_ylabel("time (UTC)")
figure.colorbar(image, ax=top, label="dB")
top.set_title(f"channel 12, {window[0]:%Y-%m-%d %H:%M}–{window[1]:%H:%M} UTC")
spectrum.plot(ax=bottom)
bottom.axvline(peak, color="red", linestyle=":", label=f"{peak:.2f} Hz")
bottom.set_ylabel("mean dB")
bottom.legend()
figure.tight_layout()
figure.savefig(args.out)
print(f"wrote {args.out}")
