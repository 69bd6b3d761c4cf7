"""The asyncio twin of :mod:`focus.client`: streams over ``grpc.aio``, REST calls in a worker thread.

    import asyncio
    from focus.aio import AsyncFocus

    async def main():
        focus = AsyncFocus("http://127.0.0.1:5000")
        async with await focus.configure(channels=(10, 14)) as job:
            power = await job.read(seconds=5)          # (channel, time, frequency), streams read concurrently
            async for frame in job.lines(channel=12):  # frames as they arrive
                ...

    asyncio.run(main())

requests has no asyncio API, so each REST call runs in ``asyncio.to_thread``; retries of 503/429 wait
with ``asyncio.sleep`` (the event loop is never blocked by a ``Retry-After``).
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, AsyncGenerator, Mapping, Sequence

import grpc

from . import frames as _frames
from .client import Focus
from .job import _OPEN_JOBS, Collector, Job
from .wire import _DEFAULT, _MAX_MESSAGE, RetryHook, TimeLike, configure_body, retry_delay
from .errors import FocusStreamError, FocusUnavailableError
from .frames import Frame, GapTracker, Spectrogram


class AsyncFocus:
    """A Focus service for asyncio code; the same methods as :class:`focus.Focus`, awaited.

    ``retry_deadline`` and ``on_retry`` work as in :class:`focus.Focus`; waits are ``asyncio.sleep``.
    """

    def __init__(self, url: str = "http://127.0.0.1:5000", timeout: float = 30.0, retry_deadline: float = 60.0,
                 api_key: str | None = None, on_retry: RetryHook | None = None) -> None:
        self.sync = Focus(url, timeout=timeout, retry_deadline=retry_deadline, api_key=api_key)
        self.retry_deadline = retry_deadline
        self.on_retry = on_retry

    async def request(self, method: str, path: str, json: Any = None, headers: Mapping[str, str] | None = None,
                      retry: bool = True) -> Any:
        """One REST call (see :meth:`focus.Focus.request`), retried on 503/429 with ``asyncio.sleep``."""
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                return await asyncio.to_thread(self.sync.request, method, path, json, headers, False)
            except FocusUnavailableError as e:
                delay = retry_delay(e.retry_after, attempt, started, self.retry_deadline) if retry else None
                if delay is None:
                    raise
                if self.on_retry is not None:
                    self.on_retry(attempt, e.status or 0, delay, e.detail)
                await asyncio.sleep(delay)

    async def live_metadata(self) -> dict[str, Any]:
        """``GET /live_metadata``."""
        return await self.request("GET", "/live_metadata")  # type: ignore[no-any-return]

    async def channels(self) -> tuple[int, int]:
        """``GET /channels``: (lowest, highest)."""
        body = await self.request("GET", "/channels")
        return int(body["lowest_channel"]), int(body["highest_channel"])

    async def recordings(self, start: TimeLike, end: TimeLike) -> list[tuple[Any, Any]]:
        """``POST /recordings_in_time_range``: (start, end|None) UTC datetimes."""
        return await asyncio.to_thread(self.sync.recordings, start, end)

    async def jobs(self, state: str | None = None) -> list[dict[str, Any]]:
        """``GET /jobs``."""
        body = await self.request("GET", "/jobs" + (f"?state={state}" if state else ""))
        return list(body["jobs"])

    async def job(self, job_id: str) -> "AsyncJob":
        """An existing job (not cancelled when its ``async with`` ends)."""
        return AsyncJob(self, Job(self.sync, await self.request("GET", f"/metadata/{job_id}"), owned=False))

    async def configure(self, view: int | str | None = None, channels: int | Sequence[int] = (10, 14),
                        freq: Sequence[float] | None = _DEFAULT, nfft: int | None = _DEFAULT,
                        duration: float | None = _DEFAULT, height: int = 1000, start: TimeLike | None = None,
                        end: TimeLike | None = None, idempotency_key: str | None = None,
                        cancel_on_exit: bool = True) -> "AsyncJob":
        """``POST /configure`` (arguments as :meth:`focus.Focus.configure`)."""
        body, headers = configure_body(view, channels, freq, nfft, duration, height, start, end, idempotency_key)
        info = await self.request("POST", "/configure", body, headers)
        job = Job(self.sync, info, owned=True, request=body)
        if cancel_on_exit:
            _OPEN_JOBS.add(job)
        return AsyncJob(self, job)

    async def close(self) -> None:
        """Closes the HTTP session."""
        self.sync.close()


class AsyncJob:
    """One investigation for asyncio code: the parameters of :class:`focus.Job` (``job.lines_dt``, ...), its
    streams over ``grpc.aio``. ``async with`` cancels a job this client configured."""

    def __init__(self, client: AsyncFocus, job: Job) -> None:
        self.client = client
        self.job = job
        self._channel: grpc.aio.Channel | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.job, name)

    def __repr__(self) -> str:
        return f"Async{self.job!r}"

    async def status(self) -> dict[str, Any]:
        """``GET /metadata/{id}``."""
        return await self.client.request("GET", f"/metadata/{self.job.job_id}")  # type: ignore[no-any-return]

    async def cancel(self) -> dict[str, Any]:
        """``DELETE /job/{id}``; closes this client's streams."""
        _OPEN_JOBS.discard(self.job)
        try:
            return await self.client.request("DELETE", f"/job/{self.job.job_id}", retry=False)  # type: ignore[no-any-return]
        finally:
            await self.close()

    async def close(self) -> None:
        """Closes this client's gRPC channel (the job goes on)."""
        channel, self._channel = self._channel, None
        if channel is not None:
            await channel.close()

    async def __aenter__(self) -> "AsyncJob":
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.job.owned:
            await self.cancel()
        else:
            await self.close()

    def _grpc_channel(self) -> grpc.aio.Channel:
        if self._channel is None:
            self._channel = grpc.aio.insecure_channel(
                f"{self.job.stream_url}:{self.job.stream_port}",
                options=[("grpc.max_receive_message_length", _MAX_MESSAGE)])
        return self._channel

    async def raw_messages(self, stream: int = 0, timeout: float | None = None) -> AsyncGenerator[Any, None]:
        """The stream's ``DataStream`` messages; ends OK at the end of a historic window, else FocusStreamError."""
        from ._proto import pandadatastream_pb2 as pb
        from ._proto import pandadatastream_pb2_grpc as pb_grpc

        stub = pb_grpc.DataStreamServiceStub(self._grpc_channel())
        token = self.job.stream_token
        call = stub.StreamData(pb.StreamDataRequest(stream_id=stream), timeout=timeout,
                               metadata=(("authorization", f"Bearer {token}"),) if token else None)
        try:
            async for message in call:
                yield message
        except grpc.aio.AioRpcError as e:
            name = e.code().name
            raise FocusStreamError(f"job {self.job.job_id} stream {stream}: {name} {e.details() or ''}".rstrip(),
                                   name, e.details()) from None
        finally:
            call.cancel()

    async def lines(self, stream: int = 0, channel: int | None = None,
                    timeout: float | None = None) -> AsyncGenerator[Frame, None]:
        """Frames as they arrive (see :meth:`focus.Job.lines`)."""
        if channel is not None:
            stream = self.job.stream_of(channel)
        tracker = GapTracker(self.job.lines_dt)
        messages = self.raw_messages(stream, timeout)
        try:
            async for message in messages:
                yield tracker.account(_frames.decode(message, stream))
        finally:
            await messages.aclose()

    async def _read_stream(self, stream: int, seconds: float | None, lines: int | None,
                           timeout: float | None) -> tuple[list[Frame], bool]:
        collector = Collector(seconds, lines)
        iterator = self.lines(stream, timeout=timeout)
        try:
            async for frame in iterator:
                if collector.add(frame):
                    break
        finally:
            await iterator.aclose()
        return collector.result()

    async def read_numpy(self, seconds: float | None = None, lines: int | None = None, stream: int | None = None,
                         channel: int | None = None, fill_gaps: bool = True, timeout: float | None = None) -> Spectrogram:
        """As :meth:`focus.Job.read_numpy`; several streams are read concurrently on the event loop."""
        if seconds is None and lines is None and not self.job.historic:
            raise ValueError("a live job never ends: give seconds= or lines=")
        if channel is not None:
            stream = self.job.stream_of(channel)
        streams = [stream] if stream is not None else list(range(self.job.stream_amount))
        if len(streams) == 1:
            results = [await self._read_stream(streams[0], seconds, lines, timeout)]
            return self.job._assemble(streams, results, fill_gaps)
        more_seconds, more_lines = self.job._margin(seconds, lines)
        results = await asyncio.gather(*(self._read_stream(s, more_seconds, more_lines, timeout) for s in streams))
        return self.job._assemble(streams, list(results), fill_gaps).cut(seconds, lines)

    async def read(self, seconds: float | None = None, lines: int | None = None, stream: int | None = None,
                   channel: int | None = None, fill_gaps: bool = True, timeout: float | None = None) -> Any:
        """As :meth:`focus.Job.read`: an ``xarray.DataArray``."""
        return (await self.read_numpy(seconds, lines, stream, channel, fill_gaps, timeout)).to_xarray()
