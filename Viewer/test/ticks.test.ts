import { describe, expect, it } from "vitest";
import { niceStep, ticks, timeStep, utcClock, utcMillis } from "../src/ticks.js";

describe("axis ticks", () => {
  it("picks round steps", () => {
    expect(niceStep(500, 5)).toBe(100);
    expect(niceStep(2221, 8)).toBe(500);
    expect(niceStep(3, 6)).toBe(0.5);
    expect(ticks(0, 500, 100)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(ticks(10, 14, 2)).toEqual([10, 12, 14]);
  });

  it("labels time in UTC on clock-friendly steps", () => {
    expect(timeStep(10, 5)).toBe(2);
    expect(timeStep(3600, 6)).toBe(600);
    expect(utcClock(Date.UTC(2026, 10, 22, 10, 0, 5, 300))).toBe("10:00:05");
    expect(utcClock(Date.UTC(2026, 10, 22, 10, 0, 5, 300), true)).toBe("10:00:05.3");
    expect(utcMillis(Date.UTC(2026, 10, 22, 10, 0, 5, 37))).toBe("10:00:05.037");
  });
});
