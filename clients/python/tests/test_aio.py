"""The asyncio twin (focus.aio) against the service: concurrent stream reads, frames, 422, cancel on exit."""
from __future__ import annotations

import asyncio
from datetime import datetime

import numpy as np
import pytest

from focus import Focus, FocusValidationError
from focus.aio import AsyncFocus

from conftest import Service


def test_an_async_multichannel_read_and_frames_then_the_job_is_cancelled(service: Service, client: Focus) -> None:
    async def scenario() -> tuple[str, object, list[int]]:
        focus = AsyncFocus(service.url)
        assert await focus.channels() == (1, 2222)
        async with await focus.configure(channels=(10, 14)) as job:
            assert job.stream_amount == 5 and job.lines_dt == pytest.approx(0.01)
            power = await job.read(lines=120)
            starts = []
            async for frame in job.lines(channel=12):
                starts.append(frame.start_channel)
                if len(starts) == 3:
                    break
            assert (await job.status())["state"] == "running"
        await focus.close()
        return job.job_id, power, starts

    job_id, power, starts = asyncio.run(scenario())
    assert power.dims == ("channel", "time", "frequency") and power.shape == (5, 120, 257)
    assert not np.isnan(power.values).any()
    peaks = power.frequency.values[power.mean("time").argmax("frequency").values]
    assert np.all(np.abs(peaks - 50) <= 1000 / 1024), peaks
    assert starts == [12, 12, 12]
    assert client.job(job_id).state == "cancelled"


def test_an_async_historic_read_fills_the_hole_and_a_422_names_its_fields(
        service: Service, sample_window: tuple[datetime, datetime]) -> None:
    async def scenario() -> object:
        focus = AsyncFocus(service.url)
        with pytest.raises(FocusValidationError) as refused:
            await focus.configure(channels=12, nfft=1000)
        assert "nfftSelection" in refused.value.errors
        async with await focus.configure(channels=12, start=sample_window[0], end=sample_window[1]) as job:
            return await job.read_numpy()

    spectrogram = asyncio.run(scenario())
    assert spectrogram.complete
    assert int((spectrogram.gap == "hole").sum()) > 5900 and np.isnan(spectrogram.values[spectrogram.gap == "hole"]).all()
