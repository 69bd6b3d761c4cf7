import { describe, expect, it } from "vitest";
import { clipSpans, snapWindow } from "../src/spans.js";

// The service's sample: 2 min, a 1-min gap, 2 min, from midnight; at 300 px a day, 288 s a pixel.
const day = 1_795_910_400;
const sample: [number, number][] = [[day, day + 120], [day + 180, day + 300]];
const fourPixels = 4 * 288;

describe("recording spans on the timeline", () => {
  it("clips recordings to the day and runs one still being written to now", () => {
    expect(clipSpans([[day - 50, day + 10], [day + 100, -1], [day - 90, day - 10]], day, day + 86_400, day + 200))
      .toEqual([[day, day + 10], [day + 100, day + 200]]);
  });

  it("snaps a drag across recordings a pixel wide to exactly them, hole included", () => {
    expect(snapWindow(day + 144, day + 864, sample, fourPixels)).toEqual([day, day + 300]);
    expect(snapWindow(day, day + 288, sample, fourPixels)).toEqual([day, day + 300]);
  });

  it("leaves edges far from the recordings where they were dragged", () => {
    const long: [number, number][] = [[day, day + 40_000]];
    expect(snapWindow(day + 10_000, day + 20_000, long, fourPixels)).toEqual([day + 10_000, day + 20_000]);
    expect(snapWindow(day + 500, day + 20_000, long, fourPixels)).toEqual([day, day + 20_000]);
    expect(snapWindow(day + 30_000, day + 41_000, long, fourPixels)).toEqual([day + 30_000, day + 40_000]);
  });

  it("leaves a drag over nothing as it is", () => {
    expect(snapWindow(day + 10_000, day + 12_000, sample, fourPixels)).toEqual([day + 10_000, day + 12_000]);
    expect(snapWindow(day + 10_000, day + 12_000, [], fourPixels)).toEqual([day + 10_000, day + 12_000]);
  });

  it("never turns a window inside out", () => {
    // A long recording starts just after the drag ends: snapping the start onto it would pass the end.
    expect(snapWindow(day - 600, day - 100, [[day, day + 40_000]], fourPixels)).toEqual([day - 600, day - 100]);
    // Just before short ones, both edges move onto them.
    expect(snapWindow(day - 600, day - 100, sample, fourPixels)).toEqual([day, day + 300]);
  });
});
