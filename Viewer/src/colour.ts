// dB values to colours: a 256-entry table per colormap (perceptual ones from d3-scale-chromatic,
// the matplotlib data) and the scaling of a value between the colour bar's limits.
import { interpolateCividis, interpolateGreys, interpolateInferno, interpolateMagma, interpolateViridis, interpolateTurbo } from "d3-scale-chromatic";

export const Colormaps = {
  viridis: interpolateViridis,
  magma: interpolateMagma,
  inferno: interpolateInferno,
  cividis: interpolateCividis,
  turbo: interpolateTurbo,
  grayscale: (t: number) => interpolateGreys(1 - t),
} as const;

export type ColormapName = keyof typeof Colormaps;

/** 256 colours as 0xAABBGGRR words, ready for a Uint32Array view of ImageData on little-endian hosts. */
export function colormapTable(name: ColormapName): Uint32Array {
  const table = new Uint32Array(256);
  const interpolate = Colormaps[name];
  for (let i = 0; i < 256; i++) {
    const [r, g, b] = parseRgb(interpolate(i / 255));
    table[i] = (255 << 24) | (b << 16) | (g << 8) | r;
  }
  return table;
}

/** "rgb(r, g, b)" or "#rrggbb" as numbers. */
export function parseRgb(css: string): [number, number, number] {
  if (css.startsWith("#")) {
    const v = Number.parseInt(css.slice(1, 7), 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  const m = /rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/.exec(css);
  if (!m) throw new Error(`not a colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Colour index 0..255 of `value` between `min` and `max` (clamped; NaN is 0). */
export function colourIndex(value: number, min: number, max: number): number {
  if (!(max > min) || Number.isNaN(value)) return 0;
  const t = (value - min) / (max - min);
  if (t <= 0) return 0;
  if (t >= 1) return 255;
  return Math.floor(t * 255.999);
}

export interface Limits {
  min: number;
  max: number;
}

/**
 * Automatic colour limits: the `low` and `high` quantiles of the values (NaN skipped), widened to
 * at least 1 dB. Null when there is nothing to go by.
 */
export function autoLimits(values: ArrayLike<number>, low = 0.01, high = 0.999): Limits | null {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  if (finite.length === 0) return null;
  finite.sort((a, b) => a - b);
  const at = (q: number) => finite[Math.min(finite.length - 1, Math.max(0, Math.round(q * (finite.length - 1))))];
  let min = at(low);
  let max = at(high);
  if (max - min < 1) {
    const mid = (min + max) / 2;
    min = mid - 0.5;
    max = mid + 0.5;
  }
  return { min, max };
}
