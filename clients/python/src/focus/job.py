"""One investigation: :class:`Job` (its parameters, streams and lifecycle) and how its lines are gathered."""
from __future__ import annotations

import atexit
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generator, Mapping

import grpc
import numpy as np
import numpy.typing as npt

from . import frames as _frames
from .errors import FocusError, FocusStreamError
from .frames import Frame, GapTracker, Spectrogram
from .wire import _MAX_MESSAGE, VIEW_NAMES, VIEWS, _parse_time

if TYPE_CHECKING:
    from .client import Focus

_OPEN_JOBS: "weakref.WeakSet[Job]" = weakref.WeakSet()


def _cancel_open_jobs() -> None:
    """At interpreter exit: cancel every job this process configured and did not end (``cancel_on_exit``)."""
    for job in list(_OPEN_JOBS):
        try:
            job.cancel()
        except Exception:  # noqa: BLE001 - exiting anyway
            pass


atexit.register(_cancel_open_jobs)


class Job:
    """One investigation: its derived parameters as attributes, its streams, its lifecycle.

    Attributes (from /configure or /metadata): ``job_id``, ``view_type`` (0/1/2) and ``view`` (its
    name), ``mode`` (``"live"``/``"historic"``), ``stream_url``, ``stream_port``, ``channel_amount``,
    ``stream_amount``, ``channel_to_stream_index`` ({channel: stream}), ``channels`` (sorted),
    ``frequencies`` (numpy, Hz; ``frequencies_list`` as given), ``frequencies_amount``, ``lines_dt``
    (seconds between lines), ``internal_nfft``, ``prr``, ``metadata`` (the fiber or recordings),
    ``created_at`` (UTC), ``info`` (the whole answer).

    Used as a context manager, a job this client configured is cancelled on exit (also on Ctrl+C).
    """

    def __init__(self, client: Focus, info: Mapping[str, Any], owned: bool = True,
                 request: Mapping[str, Any] | None = None) -> None:
        self.client = client
        self.info: dict[str, Any] = dict(info)
        self.owned = owned
        self.request: dict[str, Any] = dict(request if request is not None else info.get("request") or {})
        self.job_id: str = str(info["job_id"])
        self.view_type: int = int(info["view_type"])
        self.view: str = VIEW_NAMES.get(self.view_type, str(self.view_type))
        self.mode: str = str(info.get("mode", "live"))
        self.stream_url: str | None = info.get("stream_url")
        self.stream_port: int | None = info.get("stream_port")
        self.stream_token: str | None = info.get("stream_token")
        self.channel_amount: int = int(info["channel_amount"])
        self.stream_amount: int = int(info["stream_amount"])
        self.channel_to_stream_index: dict[int, int] = {int(c): int(s) for c, s in info["channel_to_stream_index"].items()}
        self.channels: list[int] = sorted(self.channel_to_stream_index)
        self.frequencies_list: list[float] = [float(f) for f in info["frequencies_list"]]
        self.frequencies: npt.NDArray[np.float64] = np.asarray(self.frequencies_list, dtype=np.float64)
        self.frequencies_amount: int = int(info["frequencies_amount"])
        self.lines_dt: float = float(info["lines_dt"])
        self.internal_nfft: int = int(info["internal_nfft"])
        self.metadata: dict[str, Any] = dict(info.get("metadata") or {})
        self.prr: float = float(self.metadata.get("prr", 0.0))
        self.created_at: datetime | None = _parse_time(info.get("created_at"))
        self._channel: grpc.Channel | None = None
        self._lock = threading.Lock()
        self._calls: set[Any] = set()
        self.cancelled = False

    # -- lifecycle --------------------------------------------------------------------------------------

    @property
    def historic(self) -> bool:
        """True for a playback of recordings (its streams end when the window has played)."""
        return self.mode == "historic"

    def status(self) -> dict[str, Any]:
        """``GET /metadata/{id}``: ``state`` (configured, starting, running, completed, failed, cancelled, expired),
        ``status``, ``lines_emitted``, ``gaps``, ``dropped_lines``, ``connected_clients``, ``failure_reason``, ..."""
        return self.client.request("GET", f"/metadata/{self.job_id}")  # type: ignore[no-any-return]

    @property
    def state(self) -> str:
        """The job's lifecycle state now (one ``GET /metadata``)."""
        return str(self.status()["state"])

    def cancel(self) -> dict[str, Any]:
        """``DELETE /job/{id}``: cancels the job (its streams end CANCELLED); returns the final metadata.

        Safe to call again, and on a job that already ended."""
        _OPEN_JOBS.discard(self)
        self.cancelled = True
        try:
            return self.client.request("DELETE", f"/job/{self.job_id}", retry=False)  # type: ignore[no-any-return]
        finally:
            self.close()

    def close(self) -> None:
        """Ends this client's stream calls and closes its gRPC channel (the job goes on)."""
        with self._lock:
            calls, self._calls = list(self._calls), set()
            channel, self._channel = self._channel, None
        for call in calls:
            call.cancel()
        if channel is not None:
            channel.close()

    def __enter__(self) -> "Job":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.owned:
            self.cancel()
        else:
            self.close()

    def __repr__(self) -> str:
        return (f"Job({self.job_id!r}, {self.view}, {self.mode}, channels {self.channels[0]}..{self.channels[-1]}, "
                f"{self.frequencies_amount} bins, lines_dt {self.lines_dt:g} s)")

    # -- streams ----------------------------------------------------------------------------------------

    def stream_of(self, channel: int) -> int:
        """The stream that carries ``channel`` (``channel_to_stream_index``)."""
        try:
            return self.channel_to_stream_index[int(channel)]
        except KeyError:
            raise ValueError(f"channel {channel} is not in job {self.job_id} ({self.channels[0]}..{self.channels[-1]})") from None

    def _grpc_channel(self) -> grpc.Channel:
        with self._lock:
            if self._channel is None:
                if self.stream_url is None or self.stream_port is None:
                    raise FocusError(f"job {self.job_id} has no stream (state {self.info.get('state')})")
                self._channel = grpc.insecure_channel(
                    f"{self.stream_url}:{self.stream_port}",
                    options=[("grpc.max_receive_message_length", _MAX_MESSAGE)])
            return self._channel

    def raw_messages(self, stream: int = 0, timeout: float | None = None) -> Generator[Any, None, None]:
        """The stream's ``pandadatastream.DataStream`` messages as they come (no decoding).

        Ends when the stream ends OK (a historic window played); raises :class:`FocusStreamError`
        for any other end. Closing the iterator (``break``) ends the call."""
        from ._proto import pandadatastream_pb2 as pb
        from ._proto import pandadatastream_pb2_grpc as pb_grpc

        stub = pb_grpc.DataStreamServiceStub(self._grpc_channel())
        metadata = (("authorization", f"Bearer {self.stream_token}"),) if self.stream_token else None
        call = stub.StreamData(pb.StreamDataRequest(stream_id=stream), timeout=timeout, metadata=metadata)
        with self._lock:
            self._calls.add(call)
        try:
            for message in call:
                yield message
        except grpc.RpcError as e:
            code = e.code() if hasattr(e, "code") else None
            name = code.name if code is not None else "UNKNOWN"
            detail = e.details() if hasattr(e, "details") else str(e)
            raise FocusStreamError(f"job {self.job_id} stream {stream}: {name} {detail or ''}".rstrip(), name, detail) from None
        finally:
            call.cancel()
            with self._lock:
                self._calls.discard(call)

    def lines(self, stream: int = 0, channel: int | None = None,
              timeout: float | None = None) -> Generator[Frame, None, None]:
        """The stream's frames as they arrive, decoded to numpy (:class:`focus.frames.Frame`).

        ``channel`` picks the stream of that channel instead of ``stream``. Each frame counts the
        lines ``dropped`` on the way and the ``holes`` (time jumps) since the previous one. Ends
        when a historic window has played; raises :class:`FocusStreamError` when the job is
        cancelled (``CANCELLED``) or fails (``ABORTED``)."""
        if channel is not None:
            stream = self.stream_of(channel)
        tracker = GapTracker(self.lines_dt)
        messages = self.raw_messages(stream, timeout)
        try:
            for message in messages:
                yield tracker.account(_frames.decode(message, stream))
        finally:
            messages.close()

    def _width(self) -> int:
        return self.channel_amount if self.view_type == VIEWS["waterfall"] else self.frequencies_amount

    def _read_stream(self, stream: int, seconds: float | None, lines: int | None,
                     timeout: float | None) -> tuple[list[Frame], bool]:
        collector = Collector(seconds, lines)
        iterator = self.lines(stream, timeout=timeout)
        try:
            for frame in iterator:
                if collector.add(frame):
                    break
        finally:
            iterator.close()
        return collector.result()

    def read_numpy(self, seconds: float | None = None, lines: int | None = None, stream: int | None = None,
                   channel: int | None = None, fill_gaps: bool = True, timeout: float | None = None) -> Spectrogram:
        """Reads lines into a :class:`focus.frames.Spectrogram` (numpy only; see :meth:`read`)."""
        if seconds is None and lines is None and not self.historic:
            raise ValueError("a live job never ends: give seconds= or lines=")
        if channel is not None:
            stream = self.stream_of(channel)
        streams = [stream] if stream is not None else list(range(self.stream_amount))
        if len(streams) == 1:
            results = [self._read_stream(streams[0], seconds, lines, timeout)]
            return self._assemble(streams, results, fill_gaps)
        more_seconds, more_lines = self._margin(seconds, lines)
        with ThreadPoolExecutor(max_workers=min(len(streams), 64), thread_name_prefix=f"focus-{self.job_id}") as pool:
            futures = [pool.submit(self._read_stream, s, more_seconds, more_lines, timeout) for s in streams]
            try:
                results = [f.result() for f in futures]
            except BaseException:
                self.close()  # ends the other calls, so the pool's threads finish (Ctrl+C, a failed stream)
                raise
        return self._assemble(streams, results, fill_gaps).cut(seconds, lines)

    def _margin(self, seconds: float | None, lines: int | None) -> tuple[float | None, int | None]:
        """Limits for each of several streams: a second more, since live calls start on different rows."""
        if self.historic:
            return seconds, lines
        extra = int(np.ceil(1.0 / self.lines_dt))
        return (None if seconds is None else seconds + 1.0), (None if lines is None else lines + extra)

    def _assemble(self, streams: list[int], results: list[tuple[list[Frame], bool]], fill_gaps: bool) -> Spectrogram:
        """Each stream's frames (and whether it played to its end) as one :class:`Spectrogram`."""
        width = self._width()
        layouts = []
        for got, _ in results:
            times = np.concatenate([f.times for f in got]) if got else np.empty(0, "datetime64[ms]")
            rows = np.concatenate([f.rows for f in got]) if got else np.empty(0, np.int64)
            if fill_gaps:
                layouts.append((got, *_frames.gap_layout(times, rows, self.lines_dt)))
            else:
                layouts.append((got, times, rows, np.full(rows.shape[0], _frames.GAP_NONE, dtype="<U4"),
                                np.arange(rows.shape[0])))
        ref_times = layouts[0][1]
        if all(l[1].shape == ref_times.shape and np.array_equal(l[1], ref_times) for l in layouts[1:]):
            # one time axis (one stream, or a historic window): each line is copied once, into the result
            out = np.empty((len(layouts), ref_times.shape[0], width), dtype=np.float32)
            for i, (got, _, _, _, positions) in enumerate(layouts):
                _frames.place(got, positions, out[i])
            times, rows, gap = ref_times, layouts[0][2], layouts[0][3]
            values = out[0] if len(layouts) == 1 else out
        else:
            series = []
            for got, t, r, g, positions in layouts:
                v = np.empty((t.shape[0], width), dtype=np.float32)
                _frames.place(got, positions, v)
                series.append((t, r, v, g))
            times, rows, values, gap = _align(series, self.lines_dt)
        stream_channels = [self._channel_of_stream(s) for s in streams]
        axis: npt.NDArray[Any]
        if self.view_type == VIEWS["waterfall"]:
            axis, axis_name = np.asarray(self.channels, dtype=np.int64), "channel"
        else:
            axis, axis_name = self.frequencies, "frequency"
        complete = all(c for _, c in results)
        attrs = self._attrs()
        return Spectrogram(values, times, axis, axis_name, gap, rows, stream_channels, attrs, complete)

    def read(self, seconds: float | None = None, lines: int | None = None, stream: int | None = None,
             channel: int | None = None, fill_gaps: bool = True, timeout: float | None = None) -> Any:
        """Reads lines into an ``xarray.DataArray`` named ``power`` (dB).

        Dims ``(time, frequency)`` (Hz) for a spectral stream, ``(time, channel)`` for a WATERFALL,
        and ``(channel, time, frequency)`` when every stream of a MULTICHANNEL job is read
        (``stream``/``channel`` None and several streams). ``time`` is UTC; missing lines are NaN
        rows labelled by the ``gap`` coordinate (``"drop"``/``"hole"``) unless ``fill_gaps`` is
        False; ``attrs`` hold the job's parameters. A live job reads ``seconds`` of data (by the
        lines' own times) or ``lines`` lines; a historic job reads to the end of its window unless
        limited. Several streams are read at once and cut to their common time span (live calls start on
        different rows: each reads a second more, so the common span holds the lines asked for unless the
        calls started more than a second apart)."""
        return self.read_numpy(seconds, lines, stream, channel, fill_gaps, timeout).to_xarray()

    def _channel_of_stream(self, stream: int) -> int:
        for channel, index in self.channel_to_stream_index.items():
            if index == stream:
                return channel
        return self.channels[0]

    def _attrs(self) -> dict[str, Any]:
        attrs: dict[str, Any] = {
            "job_id": self.job_id, "view": self.view, "view_type": self.view_type, "mode": self.mode,
            "lines_dt": self.lines_dt, "internal_nfft": self.internal_nfft, "prr": self.prr,
            "channel_min": self.channels[0], "channel_max": self.channels[-1],
            "frequencies_amount": self.frequencies_amount,
        }
        if self.created_at is not None:
            attrs["created_at"] = self.created_at.isoformat()
        for key in ("dx", "number_of_channels"):
            if key in self.metadata:
                attrs[key] = self.metadata[key]
        for key, name in (("start_time", "start_time"), ("end_time", "end_time"), ("nfftSelection", "nfft"),
                          ("displayTimeAxisDuration", "duration")):
            if self.request.get(key) is not None:
                attrs[name] = self.request[key]
        return attrs


class Collector:
    """Gathers one stream's frames until ``lines`` lines or ``seconds`` of data (by the lines' times) are in."""

    def __init__(self, seconds: float | None, lines: int | None) -> None:
        self.seconds = seconds
        self.lines = lines
        self.frames: list[Frame] = []
        self.count = 0
        self.first_ms: int | None = None
        self.complete = True

    def add(self, frame: Frame) -> bool:
        """Keeps ``frame``; True when the limit is reached (stop reading)."""
        if len(frame) == 0:
            return False
        self.frames.append(frame)
        self.count += len(frame)
        if self.first_ms is None:
            self.first_ms = int(frame.times[0].astype(np.int64))
        if self.lines is not None and self.count >= self.lines:
            self.complete = False
            return True
        if self.seconds is not None and int(frame.times[-1].astype(np.int64)) - self.first_ms >= self.seconds * 1000:
            self.complete = False
            return True
        return False

    def result(self) -> tuple[list[Frame], bool]:
        """The frames cut to the limit, and whether the stream played to its end."""
        got = self.frames
        if self.lines is not None:
            trimmed, left = [], self.lines
            for f in got:
                if left <= 0:
                    break
                trimmed.append(f if len(f) <= left else Frame(f.stream, f.start_channel, f.end_channel, f.times[:left],
                                                              f.rows[:left], f.values[:left], f.dropped, f.holes))
                left -= len(f)
            got = trimmed
        if self.seconds is not None and self.first_ms is not None:
            limit = np.datetime64(self.first_ms + int(round(self.seconds * 1000)), "ms")
            got = [Frame(f.stream, f.start_channel, f.end_channel, f.times[f.times < limit], f.rows[f.times < limit],
                         f.values[f.times < limit], f.dropped, f.holes) for f in got]
        return got, self.complete


def _align(series: list[tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]]],
           lines_dt: float) -> tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]]:
    """Several streams' (times, rows, values, gap) on the first one's times within their common span."""
    nonempty = [s for s in series if s[0].shape[0] > 0]
    width = series[0][2].shape[1]
    if len(nonempty) < len(series):
        return (np.empty(0, "datetime64[ms]"), np.empty(0, np.int64),
                np.empty((len(series), 0, width), np.float32), np.empty(0, "<U4"))
    ref = series[0][0]
    if all(s[0].shape == ref.shape and np.array_equal(s[0], ref) for s in series[1:]):
        # the usual case (a historic window, streams read together): one time axis, stack the values
        return ref, series[0][1], np.stack([s[2] for s in series]), series[0][3]
    low = max(s[0][0] for s in series)
    high = min(s[0][-1] for s in series)
    ref_times, ref_rows, _, ref_gap = series[0]
    keep = (ref_times >= low) & (ref_times <= high)
    times, rows, gap = ref_times[keep], ref_rows[keep], ref_gap[keep]
    tolerance = np.timedelta64(max(1, int(lines_dt * 500)), "ms")
    out = np.full((len(series), times.shape[0], width), np.nan, dtype=np.float32)
    for i, (t, _, v, _) in enumerate(series):
        index = np.clip(np.searchsorted(t, times), 0, t.shape[0] - 1)
        before = np.clip(index - 1, 0, t.shape[0] - 1)
        closer = np.where(np.abs(t[before] - times) < np.abs(t[index] - times), before, index)
        match = np.abs(t[closer] - times) <= tolerance
        out[i, match] = v[closer[match]]
    return times, rows, out, gap
