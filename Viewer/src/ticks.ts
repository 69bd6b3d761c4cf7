// Axis ticks: round steps for Hz, channels and seconds, and UTC time labels.

/** A step from 1, 2, 5 x 10^k giving about `target` ticks over `span`. */
export function niceStep(span: number, target: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/** Multiples of `step` within [min, max]. */
export function ticks(min: number, max: number, step: number): number[] {
  const result: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + 1e-9; v += step) result.push(Number(v.toFixed(9)));
  return result;
}

const TimeSteps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** A time step in seconds from a list of clock-friendly ones, about `target` over `spanSeconds`. */
export function timeStep(spanSeconds: number, target: number): number {
  const raw = spanSeconds / Math.max(1, target);
  return TimeSteps.find(s => s >= raw) ?? 3600;
}

/** "HH:MM:SS" (or with tenths when `tenths`) in UTC. */
export function utcClock(ms: number, tenths = false): string {
  const d = new Date(ms);
  const text = d.toISOString().slice(11, tenths ? 21 : 19);
  return text;
}

/** "HH:MM:SS.mmm" in UTC. */
export function utcMillis(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}
