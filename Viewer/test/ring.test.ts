import { describe, expect, it } from "vitest";
import { LineRing, RowKind } from "../src/ring.js";

describe("line ring", () => {
  it("keeps the newest lines at age 0 and forgets beyond its capacity", () => {
    const ring = new LineRing(2, 3);
    for (let i = 0; i < 5; i++) ring.push([i, i + 0.5], 1000 + i);
    expect(ring.size).toBe(3);
    expect(Array.from(ring.row(0))).toEqual([4, 4.5]);
    expect(Array.from(ring.row(2))).toEqual([2, 2.5]);
    expect(ring.time(1)).toBe(1003);
    expect(ring.kind(3)).toBe(RowKind.Empty);
  });

  it("lays rows out downwards so the picture is two blocks from the newest slot", () => {
    const ring = new LineRing(1, 4);
    const slots = [0, 1, 2, 3, 4].map(i => ring.push([i], i));
    expect(slots).toEqual([3, 2, 1, 0, 3]);
    expect(ring.newestSlot).toBe(3);
    expect([0, 1, 2, 3].map(age => ring.slotOf(age))).toEqual([3, 0, 1, 2]);
  });

  it("holds gap rows as NaN with their kind", () => {
    const ring = new LineRing(2, 4);
    ring.push([1, 2], 0);
    ring.pushGap(RowKind.Hole, 10);
    ring.pushGap(RowKind.Dropped, 20);
    expect(ring.kind(0)).toBe(RowKind.Dropped);
    expect(ring.kind(1)).toBe(RowKind.Hole);
    expect(ring.kind(2)).toBe(RowKind.Data);
    expect(Number.isNaN(ring.row(1)[0])).toBe(true);
  });

  it("uses the same memory however many lines pass", () => {
    const ring = new LineRing(2222, 100);
    const before = ring.values.buffer;
    const line = new Float32Array(2222);
    for (let i = 0; i < 10_000; i++) ring.push(line, i);
    expect(ring.values.buffer).toBe(before);
    expect(ring.size).toBe(100);
  });

  it("refuses a line of another width", () => {
    expect(() => new LineRing(3, 2).push([1, 2], 0)).toThrow(/3 wide/);
  });
});
