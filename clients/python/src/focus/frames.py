"""Decoding the gRPC stream into numpy: frames as they arrive, and a gap-filled spectrogram.

A *frame* is one ``DataStream`` message of one stream: ``data_shape_y`` lines of ``data_shape_x``
float32 little-endian values. Between two consecutive lines the client sees two kinds of gap:

- a **drop**: ``row_index`` jumps (a slow reader's oldest lines were dropped by the service);
- a **hole**: ``timestamp_in_milis`` jumps further than ``lines_dt`` without a row jump (no data was
  recorded or received there; historic playback keeps counting rows across holes).

:class:`Spectrogram` (and :meth:`focus.Job.read`) put NaN rows where lines are missing, labelled in the
``gap`` coordinate (``"drop"`` or ``"hole"``; ``""`` for a line that arrived).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # pragma: no cover
    import xarray

GAP_NONE = ""
GAP_DROP = "drop"
GAP_HOLE = "hole"


@dataclass(frozen=True)
class Hole:
    """Lines missing between two received lines: the time of the line before and of the line after."""

    after: np.datetime64
    before: np.datetime64
    missing_lines: int
    kind: str  # "drop" or "hole"


@dataclass(frozen=True)
class Frame:
    """One message of a job's stream, decoded.

    ``times`` are UTC (numpy ``datetime64[ms]``, the time of each line's first sample), ``rows`` the
    lines' ``row_index``, ``values`` a ``(lines, values_per_line)`` float32 array in dB,
    ``dropped`` the lines lost on the way before and within this frame (``row_index`` jumps),
    ``holes`` every gap seen before and within this frame.
    """

    stream: int
    start_channel: int
    end_channel: int
    times: npt.NDArray[np.datetime64]
    rows: npt.NDArray[np.int64]
    values: npt.NDArray[np.float32]
    dropped: int = 0
    holes: tuple[Hole, ...] = ()

    def __len__(self) -> int:
        return int(self.rows.shape[0])


def decode(message: Any, stream: int) -> Frame:
    """A ``pandadatastream.DataStream`` message as a :class:`Frame` (without gap accounting)."""
    count = len(message.main_data)
    width = int(message.data_shape_x)
    if count == 0:
        values = np.empty((0, width), dtype=np.float32)
    else:
        values = np.frombuffer(b"".join(message.main_data), dtype="<f4").reshape(count, width)
        if values.dtype != np.float32:  # big-endian hosts
            values = values.astype(np.float32)
    times = np.asarray(message.timestamp_in_milis, dtype=np.int64).astype("datetime64[ms]")
    rows = np.asarray(message.row_index, dtype=np.int64)
    return Frame(stream, int(message.start_channel), int(message.end_channel), times, rows, values)


class GapTracker:
    """Follows one stream's lines across frames and reports drops and holes (see module doc)."""

    def __init__(self, lines_dt: float) -> None:
        self.line_ms = max(lines_dt * 1000.0, 1e-3)
        self.last_row: int | None = None
        self.last_ms: int | None = None

    def missing(self, prev_row: int, prev_ms: int, row: int, ms: int) -> tuple[int, int]:
        """(dropped, hole) line counts between two consecutive received lines."""
        dropped = max(0, row - prev_row - 1)
        by_time = max(0, int(round((ms - prev_ms) / self.line_ms)) - 1)
        return dropped, max(0, by_time - dropped)

    def account(self, frame: Frame) -> Frame:
        """The frame with ``dropped`` and ``holes`` filled in."""
        if len(frame) == 0:
            return frame
        rows = frame.rows
        ms = frame.times.astype(np.int64)
        first_prev_row = int(rows[0]) - 1 if self.last_row is None else self.last_row
        first_prev_ms = int(ms[0]) - round(self.line_ms) if self.last_ms is None else self.last_ms
        prev_rows: npt.NDArray[np.int64] = np.concatenate((np.array([first_prev_row], dtype=np.int64), rows[:-1]))
        prev_ms: npt.NDArray[np.int64] = np.concatenate((np.array([first_prev_ms], dtype=np.int64), ms[:-1]))
        dropped_each = np.maximum(0, rows - prev_rows - 1)
        by_time = np.maximum(0, np.rint((ms - prev_ms) / self.line_ms).astype(np.int64) - 1)
        if self.last_row is None:
            dropped_each[0] = 0
            by_time[0] = 0
        hole_each = np.maximum(0, by_time - dropped_each)
        holes: list[Hole] = []
        for i in np.flatnonzero((dropped_each > 0) | (hole_each > 0)):
            after = np.datetime64(int(prev_ms[i]), "ms")
            if dropped_each[i] > 0:
                holes.append(Hole(after, frame.times[i], int(dropped_each[i]), GAP_DROP))
            if hole_each[i] > 0:
                holes.append(Hole(after, frame.times[i], int(hole_each[i]), GAP_HOLE))
        self.last_row = int(rows[-1])
        self.last_ms = int(ms[-1])
        return Frame(frame.stream, frame.start_channel, frame.end_channel, frame.times, rows, frame.values,
                     int(dropped_each.sum()), tuple(holes))


@dataclass
class Spectrogram:
    """Lines of one stream (or of every stream of a MULTICHANNEL job), gaps filled with NaN rows.

    ``values`` is ``(time, frequency)``, ``(time, channel)`` for a WATERFALL, or
    ``(channel, time, frequency)`` for several streams; ``times`` UTC ``datetime64[ms]``; ``axis``
    the frequencies in Hz (or the channel numbers of a WATERFALL); ``gap`` per time: ``""``,
    ``"drop"`` or ``"hole"``; ``rows`` the ``row_index`` of each time (-1 where filled);
    ``channels`` the channel of each stream (the leading dimension when ``values`` is 3-D).
    """

    values: npt.NDArray[np.float32]
    times: npt.NDArray[np.datetime64]
    axis: npt.NDArray[Any]
    axis_name: str
    gap: npt.NDArray[np.str_]
    rows: npt.NDArray[np.int64]
    channels: list[int]
    attrs: dict[str, Any] = field(default_factory=dict)
    complete: bool = False

    @property
    def dims(self) -> tuple[str, ...]:
        """The dimension names of ``values``."""
        return ("channel", "time", self.axis_name) if self.values.ndim == 3 else ("time", self.axis_name)

    def cut(self, seconds: float | None = None, lines: int | None = None) -> "Spectrogram":
        """The first ``lines`` times, or the times within ``seconds`` of the first (in place; returns self)."""
        keep = self.times.shape[0]
        if lines is not None:
            keep = min(keep, lines)
        if seconds is not None and keep:
            limit = self.times[0] + np.timedelta64(int(round(seconds * 1000)), "ms")
            keep = min(keep, int(np.searchsorted(self.times, limit, side="left")))
        if keep < self.times.shape[0]:
            self.complete = False
            self.times, self.rows, self.gap = self.times[:keep], self.rows[:keep], self.gap[:keep]
            self.values = self.values[:, :keep] if self.values.ndim == 3 else self.values[:keep]
        return self

    def to_xarray(self) -> "xarray.DataArray":
        """An ``xarray.DataArray`` named ``power`` (dB) with UTC times, Hz or channel numbers, and ``gap``."""
        import xarray as xr

        coords: dict[str, Any] = {
            "time": ("time", self.times.astype("datetime64[ns]"), {"long_name": "time of the line's first sample", "timezone": "UTC"}),
            self.axis_name: (self.axis_name, self.axis,
                             {"units": "Hz"} if self.axis_name == "frequency" else {"long_name": "fiber channel (1-based)"}),
            "gap": ("time", self.gap.astype(str), {"long_name": "why the line is NaN: drop (lost on the way) or hole (no data)"}),
            "row": ("time", self.rows, {"long_name": "row_index of the line (-1: filled)"}),
        }
        if self.values.ndim == 3:
            coords["channel"] = ("channel", np.asarray(self.channels, dtype=np.int64), {"long_name": "fiber channel (1-based)"})
        elif len(self.channels) == 1 and self.axis_name != "channel":
            coords["channel"] = ((), int(self.channels[0]), {"long_name": "fiber channel (1-based)"})
        return xr.DataArray(self.values, dims=self.dims, coords=coords, name="power",
                            attrs={**self.attrs, "units": "dB"})


def gap_layout(times: npt.NDArray[np.datetime64], rows: npt.NDArray[np.int64], lines_dt: float) -> tuple[
        npt.NDArray[np.datetime64], npt.NDArray[np.int64], npt.NDArray[np.str_], npt.NDArray[np.int64]]:
    """Where received lines go once missing lines are inserted (drops first, then holes).

    Returns (times, rows, gap, positions): the filled time axis (inserted rows spaced ``lines_dt``
    after the line before the gap), ``rows`` -1 and ``gap`` ``"drop"``/``"hole"`` on inserted rows,
    and the output index of each received line.
    """
    n = rows.shape[0]
    line_ms = GapTracker(lines_dt).line_ms
    if n < 2:
        return times, rows, np.full(n, GAP_NONE, dtype="<U4"), np.arange(n)
    ms = times.astype(np.int64)
    dropped = np.maximum(0, rows[1:] - rows[:-1] - 1)
    by_time = np.maximum(0, np.rint((ms[1:] - ms[:-1]) / line_ms).astype(np.int64) - 1)
    missing = dropped + np.maximum(0, by_time - dropped)
    if not missing.any():
        return times, rows, np.full(n, GAP_NONE, dtype="<U4"), np.arange(n)
    total = n + int(missing.sum())
    out_ms = np.empty(total, dtype=np.int64)
    out_rows = np.full(total, -1, dtype=np.int64)
    out_gap = np.full(total, GAP_NONE, dtype="<U4")
    positions = np.concatenate(([0], np.cumsum(missing + 1)))
    out_ms[positions] = ms
    out_rows[positions] = rows
    for i in np.flatnonzero(missing):
        start = positions[i] + 1
        count = int(missing[i])
        out_ms[start:start + count] = ms[i] + np.rint(np.arange(1, count + 1) * line_ms).astype(np.int64)
        out_gap[start:start + int(dropped[i])] = GAP_DROP
        out_gap[start + int(dropped[i]):start + count] = GAP_HOLE
    return out_ms.astype("datetime64[ms]"), out_rows, out_gap, positions


def place(frames: Sequence[Frame], positions: npt.NDArray[np.int64], out: npt.NDArray[np.float32]) -> None:
    """Copies the frames' lines into ``out`` (time first) at ``positions``; other rows become NaN."""
    if positions.shape[0] < out.shape[0]:
        out.fill(np.nan)
    k = 0
    for frame in frames:
        n = len(frame)
        if n == 0:
            continue
        first, last = int(positions[k]), int(positions[k + n - 1])
        if last - first == n - 1:
            out[first:last + 1] = frame.values
        else:
            out[positions[k:k + n]] = frame.values
        k += n


def fill_gaps(times: npt.NDArray[np.datetime64], rows: npt.NDArray[np.int64], values: npt.NDArray[np.float32],
              lines_dt: float) -> tuple[
                  npt.NDArray[np.datetime64], npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.str_]]:
    """Inserts NaN rows where lines are missing between received lines (see :func:`gap_layout`).

    Returns (times, rows, values, gap) with ``rows`` -1 and ``gap`` ``"drop"``/``"hole"`` on inserted rows.
    """
    out_times, out_rows, gap, positions = gap_layout(times, rows, lines_dt)
    if positions.shape[0] == out_times.shape[0]:
        return times, rows, values, gap
    out = np.full((out_times.shape[0],) + values.shape[1:], np.nan, dtype=np.float32)
    out[positions] = values
    return out_times, out_rows, out, gap


def concat(frames: Iterable[Frame], width: int) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Every line of ``frames`` as three arrays (times, rows, values)."""
    frames = list(frames)
    if not frames:
        return (np.empty(0, dtype="datetime64[ms]"), np.empty(0, dtype=np.int64), np.empty((0, width), dtype=np.float32))
    return (np.concatenate([f.times for f in frames]), np.concatenate([f.rows for f in frames]),
            np.concatenate([f.values for f in frames]))
