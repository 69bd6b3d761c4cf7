"""Live investigations of the simulated fiber (2222 channels at 2000 Hz, a 50 Hz tone on channels 10..14)."""
from __future__ import annotations

import numpy as np
import pytest

import focus
from focus import Focus, FocusStreamError


def test_the_fiber_is_described(client: Focus) -> None:
    assert client.channels() == (1, 2222)
    metadata = client.live_metadata()
    assert metadata["prr"] == 2000 and metadata["number_of_channels"] == 2222


def test_a_singlechannel_read_has_the_jobs_frequency_axis_and_the_50_hz_tone_on_channel_12(client: Focus) -> None:
    with client.configure(channels=12, freq=(0, 500), nfft=1024, duration=10, height=1000) as job:
        assert job.view == "singlechannel" and job.mode == "live"
        assert job.lines_dt == pytest.approx(0.01) and job.internal_nfft == 1024
        assert job.channel_to_stream_index == {12: 0}
        spectrogram = job.read(lines=300)
    assert spectrogram.dims == ("time", "frequency")
    assert spectrogram.shape == (300, job.frequencies_amount)
    assert spectrogram.frequency.values.tolist() == job.info["frequencies_list"]
    assert spectrogram.frequency.attrs["units"] == "Hz"
    assert int(spectrogram.channel) == 12
    assert spectrogram.attrs["job_id"] == job.job_id and spectrogram.attrs["prr"] == 2000
    peak = float(spectrogram.frequency[int(spectrogram.mean("time").argmax("frequency"))])
    bin_width = 2000 / job.internal_nfft
    assert abs(peak - 50) <= bin_width / 2
    # UTC times, one line every lines_dt, no gap in a short read
    steps = np.diff(spectrogram.time.values).astype("timedelta64[ms]").astype(np.int64)
    assert set(steps.tolist()) <= {10} and (spectrogram.gap.values == "").all()


def test_a_multichannel_read_stacks_every_stream_into_channel_time_frequency(client: Focus) -> None:
    with client.configure(channels=(10, 14)) as job:
        assert job.view == "multichannel" and job.stream_amount == 5
        assert job.channels == [10, 11, 12, 13, 14]
        spectrogram = job.read(seconds=1.0)
    assert spectrogram.dims == ("channel", "time", "frequency")
    assert spectrogram.channel.values.tolist() == [10, 11, 12, 13, 14]
    assert spectrogram.sizes["time"] == 100  # 1 s of lines in every stream
    peaks = spectrogram.frequency.values[spectrogram.mean("time").argmax("frequency").values]
    assert np.all(np.abs(peaks - 50) <= 1000 / job.internal_nfft), peaks
    assert not np.isnan(spectrogram.values).all(axis=(0, 2)).any()


def test_a_waterfall_read_has_a_channel_axis(client: Focus) -> None:
    with client.configure(view="waterfall", channels=(1, 30)) as job:
        assert job.frequencies_amount == 0 and job.stream_amount == 1
        spectrogram = job.read(lines=50)
    assert spectrogram.dims == ("time", "channel")
    assert spectrogram.channel.values.tolist() == list(range(1, 31))
    assert spectrogram.shape == (50, 30)


def test_lines_yields_decoded_frames_and_a_cancelled_job_ends_its_stream_cancelled(client: Focus) -> None:
    job = client.configure(channels=(10, 14))
    frames = job.lines(channel=13)
    frame = next(frames)
    assert frame.stream == 3 and frame.start_channel == 13
    assert frame.values.shape == (len(frame), job.frequencies_amount) and frame.values.dtype == np.float32
    assert frame.times.dtype == np.dtype("datetime64[ms]")
    assert np.all(np.diff(frame.rows) == 1)
    final = client.request("DELETE", f"/job/{job.job_id}")  # someone else cancels it
    assert final["state"] == "cancelled"
    with pytest.raises(FocusStreamError) as ended:
        for _ in frames:
            pass
    assert ended.value.code == "CANCELLED"
    assert job.status()["state"] == "cancelled"
    job.cancel()  # again: harmless


def test_a_job_is_found_by_id_and_listed(client: Focus) -> None:
    with client.configure(channels=12) as job:
        attached = client.job(job.job_id)
        assert attached.frequencies_list == job.frequencies_list and not attached.owned
        assert job.job_id in [row["job_id"] for row in client.jobs()]
        with attached:
            pass  # leaving an attached job's block does not cancel it
        assert job.state == "running" or job.state == "starting"
    assert job.state == "cancelled"
    with pytest.raises(focus.FocusNotFoundError):
        client.job("no-such-job")
