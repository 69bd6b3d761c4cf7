"""Historic playback of the service's sample recording: 2 minutes, a 1-minute hole, 2 minutes (channels 1..16)."""
from __future__ import annotations

import time
from datetime import datetime, timedelta

import numpy as np

from focus import Focus

LINE_MS = 10
FRAME_MS = 512  # nfft 1024 at 2000 Hz: the samples behind one line


def ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def test_recordings_lists_the_two_spans_around_the_hole(client: Focus, sample_window: tuple[datetime, datetime]) -> None:
    start, end = sample_window
    spans = client.recordings(start, end)
    assert spans[0][0] == start and spans[-1][1] == end == start + timedelta(minutes=5)
    # the one-minute hole: no span covers [start+2 min, start+3 min)
    hole = (start + timedelta(minutes=2), start + timedelta(minutes=3))
    assert all(e is not None and (e <= hole[0] or s >= hole[1]) for s, e in spans)


def test_a_historic_read_plays_the_window_with_the_hole_as_nan_rows_at_its_times(
        client: Focus, sample_window: tuple[datetime, datetime]) -> None:
    start, end = sample_window
    with client.configure(channels=12, start=start, end=end) as job:
        assert job.historic and job.metadata["number_of_channels"] == 16
        spectrogram = job.read_numpy()
        raw = job.read_numpy(fill_gaps=False)
        assert spectrogram.complete
        # a call reached the end of the window; the silo reports it with the job's progress (every second)
        deadline = time.monotonic() + 10
        while job.state != "completed":
            assert time.monotonic() < deadline, f"the job is {job.state!r} 10 s after a call read the window to its end"
            time.sleep(0.1)
    times = spectrogram.times.astype(np.int64)
    gap = spectrogram.gap
    hole_start, hole_end = ms(start) + 120_000, ms(start) + 180_000

    # what the C# playback tests expect of a window: the first line at its start, a line every 10 ms,
    # the last one starting before its end, and one jump of the hole's size (+ at most a frame and a line)
    raw_times = raw.times.astype(np.int64)
    assert raw_times[0] == ms(start) and raw_times[-1] < ms(end)
    jumps = np.diff(raw_times)
    assert set(jumps[jumps <= LINE_MS + 1].tolist()) == {LINE_MS}
    (jump,) = jumps[jumps > LINE_MS + 1]
    assert 60_000 <= jump <= 60_000 + FRAME_MS + LINE_MS
    assert raw.rows.tolist() == list(range(len(raw.rows)))  # row_index counts by one across holes

    # filled: the hole's lines are NaN rows labelled "hole", between the recordings, on the 10 ms grid
    holes = gap == "hole"
    assert holes.sum() == jump // LINE_MS - 1
    assert np.isnan(spectrogram.values[holes]).all()
    assert not np.isnan(spectrogram.values[~holes]).any()
    assert hole_start - FRAME_MS - LINE_MS <= times[holes][0] <= hole_start
    assert hole_end - 2 * LINE_MS <= times[holes][-1] < hole_end
    assert (gap[times < hole_start - FRAME_MS] == "").all() and (gap[times >= hole_end] == "").all()
    assert set(np.diff(times).tolist()) == {LINE_MS}
    assert (spectrogram.rows[holes] == -1).all()


def test_a_historic_tone_peaks_at_50_hz_in_every_channel_of_a_multichannel_read(
        client: Focus, sample_window: tuple[datetime, datetime]) -> None:
    start, _ = sample_window
    with client.configure(channels=(11, 13), start=start, end=start + timedelta(seconds=20)) as job:
        spectrogram = job.read()
    assert spectrogram.dims == ("channel", "time", "frequency")
    assert spectrogram.sizes["time"] == 2000  # 20 s of lines: the recording goes on past the window
    peaks = spectrogram.frequency.values[spectrogram.mean("time").argmax("frequency").values]
    assert np.all(np.abs(peaks - 50) <= 1000 / job.internal_nfft), peaks
    mean = spectrogram.mean("time").values
    assert np.all(mean.max(axis=1) > np.median(mean, axis=1) + 20)  # the tone stands 20 dB over the median bin
