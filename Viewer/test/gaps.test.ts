import { describe, expect, it } from "vitest";
import { gapBetween, NoGap } from "../src/gaps.js";

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
