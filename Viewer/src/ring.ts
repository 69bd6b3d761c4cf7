// The visible lines of one picture: a fixed block of rows reused in a circle, so memory stays the
// same however long the stream runs. Row 0 is the newest line, row size - 1 the oldest kept.

export const enum RowKind {
  Empty = 0,
  Data = 1,
  Dropped = 2,
  Hole = 3,
}

export class LineRing {
  readonly values: Float32Array;
  readonly kinds: Uint8Array;
  readonly times: Float64Array;
  /** Lines ever pushed (data and gaps). */
  pushed = 0;

  constructor(readonly width: number, readonly capacity: number) {
    if (width < 1 || capacity < 1) throw new Error(`ring of ${width} x ${capacity}`);
    this.values = new Float32Array(width * capacity);
    this.kinds = new Uint8Array(capacity);
    this.times = new Float64Array(capacity);
  }

  /** Rows holding a line (up to capacity). */
  get size(): number {
    return Math.min(this.pushed, this.capacity);
  }

  /**
   * Storage slot of the row `age` lines back from the newest (age 0). Slots run downwards, so the
   * newest is at slot s, older ones at s + 1, s + 2, ... wrapping: drawn top-down as two blocks.
   */
  slotOf(age: number): number {
    const newest = this.capacity - 1 - ((this.pushed - 1) % this.capacity);
    return (newest + age) % this.capacity;
  }

  /** Slot of the newest row (where the next block of the picture starts). */
  get newestSlot(): number {
    return this.pushed === 0 ? 0 : this.slotOf(0);
  }

  push(values: ArrayLike<number>, timeMs: number): number {
    if (values.length !== this.width) throw new Error(`line of ${values.length} values in a ring ${this.width} wide`);
    const slot = this.advance(RowKind.Data, timeMs);
    this.values.set(values, slot * this.width);
    return slot;
  }

  pushGap(kind: RowKind.Dropped | RowKind.Hole, timeMs: number): number {
    const slot = this.advance(kind, timeMs);
    this.values.fill(Number.NaN, slot * this.width, (slot + 1) * this.width);
    return slot;
  }

  row(age: number): Float32Array {
    const slot = this.slotOf(age);
    return this.values.subarray(slot * this.width, (slot + 1) * this.width);
  }

  kind(age: number): RowKind {
    return age < this.size ? (this.kinds[this.slotOf(age)] as RowKind) : RowKind.Empty;
  }

  time(age: number): number {
    return age < this.size ? this.times[this.slotOf(age)] : Number.NaN;
  }

  clear(): void {
    this.pushed = 0;
    this.kinds.fill(RowKind.Empty);
  }

  private advance(kind: RowKind, timeMs: number): number {
    this.pushed++;
    const slot = this.slotOf(0);
    this.kinds[slot] = kind;
    this.times[slot] = timeMs;
    return slot;
  }
}
