"""Decoding and gap accounting on hand-made messages (no service)."""
from __future__ import annotations

import numpy as np

from focus._proto import pandadatastream_pb2 as pb
from focus.frames import GAP_DROP, GAP_HOLE, GapTracker, decode, fill_gaps


def message(rows: list[int], millis: list[int], width: int = 3) -> pb.DataStream:
    lines = [np.arange(width, dtype="<f4") + r for r in rows]
    return pb.DataStream(start_channel=12, end_channel=12, row_index=rows, timestamp_in_milis=millis,
                         data_shape_x=width, data_shape_y=len(rows), main_data=[line.tobytes() for line in lines])


def test_a_message_decodes_to_utc_times_rows_and_float32_lines() -> None:
    frame = decode(message([0, 1], [1_700_000_000_000, 1_700_000_000_010]), stream=2)
    assert frame.stream == 2 and frame.start_channel == 12 and len(frame) == 2
    assert frame.values.dtype == np.float32 and frame.values.shape == (2, 3)
    assert frame.values[1].tolist() == [1.0, 2.0, 3.0]
    assert str(frame.times[0]) == "2023-11-14T22:13:20.000"


def test_row_jumps_are_drops_and_time_jumps_without_row_jumps_are_holes() -> None:
    tracker = GapTracker(lines_dt=0.01)
    first = tracker.account(decode(message([0, 1, 4], [0, 10, 40]), 0))   # rows 2, 3 dropped
    assert first.dropped == 2 and [h.kind for h in first.holes] == [GAP_DROP]
    second = tracker.account(decode(message([5, 6], [1050, 1060]), 0))     # 100 lines of time missing, no row jump
    assert second.dropped == 0
    (hole,) = second.holes
    assert hole.kind == GAP_HOLE and hole.missing_lines == 100
    assert str(hole.after) == "1970-01-01T00:00:00.040" and str(hole.before) == "1970-01-01T00:00:01.050"


def test_fill_gaps_puts_labelled_nan_rows_at_the_missing_times() -> None:
    frame = decode(message([0, 1, 4, 5], [0, 10, 40, 100]), 0)  # 2 dropped, then a 5-line hole
    times, rows, values, gap = fill_gaps(frame.times, frame.rows, frame.values, 0.01)
    assert times.astype(np.int64).tolist() == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert rows.tolist() == [0, 1, -1, -1, 4, -1, -1, -1, -1, -1, 5]
    assert gap.tolist() == ["", "", "drop", "drop", "", "hole", "hole", "hole", "hole", "hole", ""]
    assert np.isnan(values[gap != ""]).all() and not np.isnan(values[gap == ""]).any()
