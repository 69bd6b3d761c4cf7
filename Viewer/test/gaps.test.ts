import { describe, expect, it } from "vitest";
import { gapBetween, gapRows, NoGap } from "../src/gaps.js";
import { LineRing, RowKind } from "../src/ring.js";

const dt = 10; // ms between lines

describe("gaps between consecutive lines", () => {
  it("sees nothing between neighbours, nor in millisecond flooring jitter", () => {
    expect(gapBetween({ row: 4, timeMs: 1000 }, { row: 5, timeMs: 1010 }, dt)).toEqual(NoGap);
    expect(gapBetween({ row: 4, timeMs: 1000 }, { row: 5, timeMs: 1011 }, dt)).toEqual(NoGap);
    expect(gapBetween(null, { row: 0, timeMs: 0 }, dt)).toEqual(NoGap);
  });

  it("counts a row_index jump as dropped lines, not a hole", () => {
    expect(gapBetween({ row: 4, timeMs: 1000 }, { row: 9, timeMs: 1050 }, dt)).toEqual({ dropped: 4, hole: 0, restarted: false });
  });

  it("counts a timestamp jump with consecutive rows as a hole of that many lines", () => {
    // historic: row_index counts by one across a 2 s stretch with no recording
    expect(gapBetween({ row: 99, timeMs: 5000 }, { row: 100, timeMs: 7010 }, dt)).toEqual({ dropped: 0, hole: 200, restarted: false });
  });

  it("tells both apart when they come together", () => {
    expect(gapBetween({ row: 0, timeMs: 0 }, { row: 3, timeMs: 530 }, dt)).toEqual({ dropped: 2, hole: 50, restarted: false });
  });

  it("sees a new call start over when row_index goes back", () => {
    expect(gapBetween({ row: 500, timeMs: 9000 }, { row: 0, timeMs: 1000 }, dt).restarted).toBe(true);
  });

  it("tolerates 2 ms of jitter when lines are less than 4 ms apart", () => {
    expect(gapBetween({ row: 0, timeMs: 0 }, { row: 1, timeMs: 2 }, 0.5)).toEqual(NoGap);
    expect(gapBetween({ row: 0, timeMs: 0 }, { row: 1, timeMs: 10.5 }, 0.5).hole).toBe(20);
  });
});

describe("gap rows", () => {
  it("stands dropped lines and a hole in at the times they would have had, oldest first", () => {
    const gap = gapBetween({ row: 0, timeMs: 0 }, { row: 3, timeMs: 60 }, dt); // 2 dropped, then a 3-line hole
    expect(gapRows(gap, 60, dt, 100)).toEqual([
      { hole: false, timeMs: 10 }, { hole: false, timeMs: 20 },
      { hole: true, timeMs: 30 }, { hole: true, timeMs: 40 }, { hole: true, timeMs: 50 },
    ]);
  });

  it("draws a historic hole as gap rows between the lines around it", () => {
    // A historic window: lines every 10 ms, then 1 s with no recording, row_index still counting by one.
    const ring = new LineRing(1, 200);
    let previous = null;
    for (const [row, timeMs] of [[0, 0], [1, 10], [2, 1020], [3, 1030]]) {
      const gap = gapBetween(previous, { row, timeMs }, dt);
      for (const r of gapRows(gap, timeMs, dt, ring.capacity)) ring.pushGap(r.hole ? RowKind.Hole : RowKind.Dropped, r.timeMs);
      ring.push([row], timeMs);
      previous = { row, timeMs };
    }
    expect(ring.size).toBe(4 + 100);
    expect(ring.kind(0)).toBe(RowKind.Data);
    expect(ring.kind(1)).toBe(RowKind.Data);
    expect(ring.kind(2)).toBe(RowKind.Hole);
    expect(ring.time(2)).toBe(1010);
    expect(ring.kind(101)).toBe(RowKind.Hole);
    expect(ring.time(101)).toBe(20);
    expect(ring.kind(102)).toBe(RowKind.Data);
  });

  it("draws no more gap rows than the ring holds, and none when a call starts over", () => {
    expect(gapRows({ dropped: 0, hole: 1_000_000, restarted: false }, 0, dt, 50)).toHaveLength(50);
    expect(gapRows({ dropped: 0, hole: 0, restarted: true }, 0, dt, 50)).toEqual([]);
  });
});
