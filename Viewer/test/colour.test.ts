import { describe, expect, it } from "vitest";
import { autoLimits, colourIndex, colormapTable, Colormaps } from "../src/colour.js";

const rgb = (word: number) => [word & 255, (word >>> 8) & 255, (word >>> 16) & 255];
const luminance = ([r, g, b]: number[]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

describe("colour scaling", () => {
  it("maps the limits to the ends of the table and clamps outside", () => {
    expect(colourIndex(-10, 0, 100)).toBe(0);
    expect(colourIndex(0, 0, 100)).toBe(0);
    expect(colourIndex(50, 0, 100)).toBe(127);
    expect(colourIndex(100, 0, 100)).toBe(255);
    expect(colourIndex(1e9, 0, 100)).toBe(255);
    expect(colourIndex(Number.NaN, 0, 100)).toBe(0);
    expect(colourIndex(5, 3, 3)).toBe(0);
  });

  it("uses matplotlib's viridis: dark purple to yellow, brighter all the way", () => {
    const table = colormapTable("viridis");
    expect(rgb(table[0])).toEqual([68, 1, 84]);
    expect(rgb(table[255])).toEqual([253, 231, 37]);
    for (let i = 8; i < 256; i += 8) expect(luminance(rgb(table[i]))).toBeGreaterThan(luminance(rgb(table[i - 8])));
    expect(table[0] >>> 24).toBe(255);
  });

  it("has a table for every colormap offered", () => {
    for (const name of Object.keys(Colormaps) as (keyof typeof Colormaps)[]) expect(colormapTable(name)).toHaveLength(256);
    expect(rgb(colormapTable("grayscale")[0])).toEqual([0, 0, 0]);
  });

  it("picks automatic limits from quantiles, ignoring gaps, at least 1 dB wide", () => {
    const values = Array.from({ length: 1000 }, (_, i) => i / 10); // 0 .. 99.9
    values.push(Number.NaN, 1e6);
    const limits = autoLimits(values)!;
    expect(limits.min).toBeCloseTo(1, 0);
    expect(limits.max).toBeGreaterThan(99);
    expect(autoLimits([5, 5, 5])).toEqual({ min: 4.5, max: 5.5 });
    expect(autoLimits([Number.NaN])).toBeNull();
  });
});
