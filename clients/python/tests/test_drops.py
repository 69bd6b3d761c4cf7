"""A reader that falls behind a live job loses its oldest lines (the service's bounded buffer): the client
counts them as drops from the row_index jump, and read() would show them as NaN rows labelled "drop"."""
from __future__ import annotations

import numpy as np

from focus import Focus
from focus.frames import GAP_DROP, fill_gaps

from conftest import wait_for


def test_a_slow_reader_sees_dropped_lines_counted_and_filled(client: Focus) -> None:
    with client.configure(channels=12) as job:
        frames = job.lines()
        first = next(frames)
        # fall behind until the service drops lines for this reader (its buffer is bounded: 64 messages)
        wait_for(lambda: job.status()["dropped_lines"] > 0, 90, "the service to drop lines of a reader that stopped", 0.5)
        got = [first]

        def dropped() -> bool:
            got.append(next(frames))
            return got[-1].dropped > 0

        wait_for(dropped, 30, "a frame after dropped lines", interval=0)
        frames.close()
        # the service counted them too (its progress reaches /metadata about every second)
        wait_for(lambda: job.status()["dropped_lines"] >= got[-1].dropped, 15, "/metadata to count the drops")
    late = got[-1]
    before = got[-2]
    rows = np.concatenate([before.rows, late.rows])
    jumps = np.diff(rows) - 1
    assert int(jumps[jumps > 0].sum()) == late.dropped
    assert any(h.kind == GAP_DROP and h.missing_lines == late.dropped for h in late.holes)
    times = np.concatenate([before.times, late.times])
    values = np.concatenate([before.values, late.values])
    _, out_rows, out_values, gap = fill_gaps(times, rows, values, job.lines_dt)
    assert int((gap == GAP_DROP).sum()) == late.dropped
    assert np.isnan(out_values[gap == GAP_DROP]).all() and (out_rows[gap == GAP_DROP] == -1).all()
