// Recording spans on the timeline strip (epoch seconds): clipped to the day shown, and the window a
// drag picks, snapped to the recordings it covers.

/** Recording spans clipped to [from, to); a recording still being written (end -1) runs to `now`. */
export function clipSpans(recordings: [number, number][], from: number, to: number, now: number): [number, number][] {
  return recordings
    .map(([s, e]) => [Math.max(s, from), Math.min(e < 0 ? now : e, to)] as [number, number])
    .filter(([s, e]) => e > s);
}

/**
 * The window [from, to] dragged on the strip, with each edge that lies within `tolerance` seconds of
 * the recordings it touches moved onto them (the first start, the last end). A day is a few hundred
 * pixels, minutes a pixel: without this, a drag across a few minutes of recordings picks minutes of
 * nothing on either side, or misses their first minutes.
 */
export function snapWindow(from: number, to: number, spans: [number, number][], tolerance: number): [number, number] {
  const touched = spans.filter(([s, e]) => e > from - tolerance && s < to + tolerance);
  if (touched.length === 0) return [from, to];
  const first = Math.min(...touched.map(([s]) => s));
  const last = Math.max(...touched.map(([, e]) => e));
  const start = Math.abs(from - first) <= tolerance ? first : from;
  const end = Math.abs(to - last) <= tolerance ? last : to;
  return end > start ? [start, end] : [from, to];
}
