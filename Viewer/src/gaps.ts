// What lies between two consecutive lines of one stream: lines dropped on the way (row_index
// jumps: a slow reader's buffer dropped the oldest) and holes in the data (timestamp jumps with
// no row_index jump: historic stretches with no recording). Both are drawn as gap rows.

export interface LineStamp {
  row: number;
  timeMs: number;
}

export interface Gap {
  /** Lines skipped by row_index (dropped on the way to this reader). */
  dropped: number;
  /** Lines' worth of time missing beyond what the dropped lines explain (a hole in the data). */
  hole: number;
  /** row_index went backwards: a new call started over (historic replay); nothing to draw. */
  restarted: boolean;
}

export const NoGap: Gap = Object.freeze({ dropped: 0, hole: 0, restarted: false });

/**
 * Classifies the step from `previous` to `next`. `linesDtMs` is the job's lines_dt in ms.
 * Timestamps are floored to the millisecond, so jitter below max(dt / 2, 2 ms) is not a hole.
 */
export function gapBetween(previous: LineStamp | null, next: LineStamp, linesDtMs: number): Gap {
  if (previous === null) return NoGap;
  const rows = next.row - previous.row;
  if (rows <= 0) return { dropped: 0, hole: 0, restarted: true };
  const dropped = rows - 1;
  const expectedMs = previous.timeMs + rows * linesDtMs;
  const extraMs = next.timeMs - expectedMs;
  const tolerance = Math.max(linesDtMs / 2, 2);
  const hole = extraMs > tolerance ? Math.round(extraMs / linesDtMs) : 0;
  return dropped === 0 && hole === 0 ? NoGap : { dropped, hole, restarted: false };
}

export interface GapRow {
  hole: boolean;
  timeMs: number;
}

/**
 * The rows that stand for a gap before a line at `timeMs`, oldest first: dropped lines, then the
 * hole, each at the time it would have had; at most `limit` of each (a ring holds no more).
 */
export function gapRows(gap: Gap, timeMs: number, linesDtMs: number, limit: number): GapRow[] {
  if (gap.restarted) return [];
  const rows: GapRow[] = [];
  for (let i = Math.min(gap.dropped, limit); i >= 1; i--) rows.push({ hole: false, timeMs: timeMs - (gap.hole + i) * linesDtMs });
  for (let i = Math.min(gap.hole, limit); i >= 1; i--) rows.push({ hole: true, timeMs: timeMs - i * linesDtMs });
  return rows;
}
