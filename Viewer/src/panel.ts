// One picture: a scrolling waterfall or spectrogram of one stream on a canvas, newest line at the
// top and time running down, with its axes. Lines go into a LineRing (the values, for re-colouring
// and the cursor read-out) and into a ring image of the same rows; each frame paints only the new
// rows and draws the ring image onto the visible canvas in two blocks.
import { colourIndex, type Limits } from "./colour.js";
import type { Line } from "./decode.js";
import { gapBetween, gapRows, type LineStamp } from "./gaps.js";
import { LineRing, RowKind } from "./ring.js";
import { niceStep, ticks, timeStep, utcClock } from "./ticks.js";

export type XAxis =
  | { kind: "frequency"; hz: number[]; channel: number }
  | { kind: "channel"; first: number; count: number };

export interface PanelOptions {
  title: string;
  xAxis: XAxis;
  /** Lines kept and shown (the time axis spans capacity x linesDt). */
  capacity: number;
  linesDtMs: number;
  /** Picture height in CSS pixels. */
  heightPx: number;
  compact: boolean;
}

export interface Scale {
  table: Uint32Array;
  limits: Limits;
}

export interface Readout {
  channel: number;
  frequencyHz: number | null;
  timeMs: number;
  value: number | null;
  kind: RowKind;
}

/** Rows where lines were dropped on the way (row_index jump) and holes in the data (timestamp jump). */
export const GapColours = { dropped: 0xff2827d6, hole: 0xffb0b0b0 } as const; // #d62728, #b0b0b0 as 0xAABBGGRR
const Empty = 0x00000000;
const AxisFont = "11px system-ui, sans-serif";
const YAxisWidth = 64;
const XAxisHeight = 22;

export class Panel {
  readonly ring: LineRing;
  readonly element: HTMLElement;
  readonly picture: HTMLCanvasElement;
  /** Data lines received and painted into the picture. */
  received = 0;
  drawn = 0;
  dropped = 0;
  holes = 0;

  private readonly width: number;
  private readonly ringImage: ImageData;
  private readonly words: Uint32Array;
  private readonly ringCanvas: HTMLCanvasElement;
  private readonly ringContext: CanvasRenderingContext2D;
  private readonly yAxis: HTMLCanvasElement;
  private readonly xAxis: HTMLCanvasElement;
  private last: LineStamp | null = null;
  /** ring.pushed at the last paint; rows after it are waiting. */
  private painted = 0;
  private dataWaiting = 0;
  private dirty = true;
  private axesDrawnAt = -Infinity;
  private xAxisWidth = 0;

  constructor(readonly options: PanelOptions) {
    this.width = options.xAxis.kind === "frequency" ? options.xAxis.hz.length : options.xAxis.count;
    this.ring = new LineRing(this.width, options.capacity);
    this.ringCanvas = document.createElement("canvas");
    this.ringCanvas.width = this.width;
    this.ringCanvas.height = options.capacity;
    this.ringContext = this.ringCanvas.getContext("2d")!;
    this.ringImage = this.ringContext.createImageData(this.width, options.capacity);
    this.words = new Uint32Array(this.ringImage.data.buffer);

    this.element = document.createElement("figure");
    this.element.className = options.compact ? "panel compact" : "panel";
    const caption = document.createElement("figcaption");
    caption.textContent = options.title;
    this.yAxis = document.createElement("canvas");
    this.yAxis.className = "y-axis";
    this.picture = document.createElement("canvas");
    this.picture.className = "picture";
    this.picture.style.height = `${options.heightPx}px`;
    this.xAxis = document.createElement("canvas");
    this.xAxis.className = "x-axis";
    const corner = document.createElement("div");
    corner.className = "corner";
    corner.textContent = "UTC";
    this.element.append(caption, this.yAxis, this.picture, corner, this.xAxis);
  }

  /** Takes one line of this panel's stream, first drawing what lies between it and the previous one. */
  ingest(line: Line): void {
    const stamp = { row: line.row, timeMs: line.timeMs };
    const gap = gapBetween(this.last, stamp, this.options.linesDtMs);
    this.last = stamp;
    if (!gap.restarted) {
      this.dropped += gap.dropped;
      this.holes += gap.hole > 0 ? 1 : 0;
    }
    for (const row of gapRows(gap, line.timeMs, this.options.linesDtMs, this.ring.capacity))
      this.ring.pushGap(row.hole ? RowKind.Hole : RowKind.Dropped, row.timeMs);
    this.ring.push(line.values, line.timeMs);
    this.received++;
    this.dataWaiting++;
  }

  /** Paints rows received since the last paint into the ring image. Returns the data lines painted. */
  paint(scale: Scale): number {
    const waiting = this.ring.pushed - this.painted;
    if (waiting === 0) return 0;
    const rows = Math.min(waiting, this.ring.capacity);
    const lines = this.paintNewest(rows, scale);
    // The new rows are contiguous downwards from the newest slot, wrapping at most once.
    const first = this.ring.newestSlot;
    const end = first + rows;
    this.ringContext.putImageData(this.ringImage, 0, 0, 0, first, this.width, Math.min(end, this.ring.capacity) - first);
    if (end > this.ring.capacity) this.ringContext.putImageData(this.ringImage, 0, 0, 0, 0, this.width, end - this.ring.capacity);
    return lines;
  }

  /** Re-colours every kept row (new colormap or limits). Returns the waiting data lines painted. */
  repaint(scale: Scale): number {
    const waiting = Math.min(this.ring.pushed - this.painted, this.ring.capacity);
    const lines = this.paintNewest(waiting, scale);
    for (let age = waiting; age < this.ring.size; age++) this.paintRow(this.ring.slotOf(age), scale);
    this.ringContext.putImageData(this.ringImage, 0, 0);
    return lines;
  }

  /** Lines that arrived but were pushed out of the ring before a frame could paint them (paused, or too slow). */
  get unpainted(): number {
    return this.received - this.drawn - this.dataWaiting;
  }

  private paintNewest(rows: number, scale: Scale): number {
    let lines = 0;
    for (let age = 0; age < rows; age++) {
      const slot = this.ring.slotOf(age);
      if (this.ring.kinds[slot] === RowKind.Data) lines++;
      this.paintRow(slot, scale);
    }
    this.painted = this.ring.pushed;
    this.drawn += lines;
    this.dataWaiting = 0;
    this.dirty = true;
    return lines;
  }

  /** Draws the ring image and axes onto the page when something changed. */
  draw(): void {
    const picture = this.picture;
    const w = Math.max(1, picture.clientWidth);
    const h = this.options.heightPx;
    if (picture.width !== w || picture.height !== h) {
      picture.width = w;
      picture.height = h;
      this.dirty = true;
    }
    if (!this.dirty) return;
    this.dirty = false;
    const context = picture.getContext("2d")!;
    context.imageSmoothingEnabled = false;
    context.clearRect(0, 0, w, h);
    const capacity = this.ring.capacity;
    const k = h / capacity;
    const top = this.ring.pushed === 0 ? 0 : this.ring.newestSlot;
    context.drawImage(this.ringCanvas, 0, top, this.width, capacity - top, 0, 0, w, (capacity - top) * k);
    if (top > 0) context.drawImage(this.ringCanvas, 0, 0, this.width, top, 0, (capacity - top) * k, w, top * k);
    // Axes cost text rendering: the time axis follows the picture at most 10 times a second
    // (4 for small multiples), the frequency or channel axis only when the width changes.
    const now = performance.now();
    if (now - this.axesDrawnAt > (this.options.compact ? 250 : 100)) {
      this.axesDrawnAt = now;
      this.drawTimeAxis(h);
    }
    if (this.xAxisWidth !== w) {
      this.xAxisWidth = w;
      this.drawXAxis(w);
    }
  }

  /** The column (value index) drawn at x (CSS pixels) on the picture. */
  columnAt(x: number): number {
    return Math.min(this.width - 1, Math.max(0, Math.floor((x / Math.max(1, this.picture.clientWidth)) * this.width)));
  }

  /** The x (CSS pixels) of the middle of a column. */
  xOfColumn(column: number): number {
    return ((column + 0.5) / this.width) * this.picture.clientWidth;
  }

  readoutAt(x: number, y: number): Readout | null {
    const age = Math.floor((y / this.options.heightPx) * this.ring.capacity);
    if (age < 0 || age >= this.ring.size) return null;
    const column = this.columnAt(x);
    const axis = this.options.xAxis;
    const kind = this.ring.kind(age);
    const value = kind === RowKind.Data ? this.ring.row(age)[column] : null;
    return axis.kind === "frequency"
      ? { channel: axis.channel, frequencyHz: axis.hz[column], timeMs: this.ring.time(age), value, kind }
      : { channel: axis.first + column, frequencyHz: null, timeMs: this.ring.time(age), value, kind };
  }

  private paintRow(slot: number, scale: Scale): void {
    const kind = this.ring.kinds[slot] as RowKind;
    const offset = slot * this.width;
    if (kind !== RowKind.Data) {
      const colour = kind === RowKind.Dropped ? GapColours.dropped : kind === RowKind.Hole ? GapColours.hole : Empty;
      this.words.fill(colour, offset, offset + this.width);
      return;
    }
    const { table, limits } = scale;
    const values = this.ring.values;
    for (let i = 0; i < this.width; i++) this.words[offset + i] = table[colourIndex(values[offset + i], limits.min, limits.max)];
  }

  private drawTimeAxis(h: number): void {
    const canvas = this.yAxis;
    if (canvas.width !== YAxisWidth || canvas.height !== h) {
      canvas.width = YAxisWidth;
      canvas.height = h;
    }
    const context = canvas.getContext("2d")!;
    context.clearRect(0, 0, canvas.width, h);
    if (this.ring.size === 0) return;
    const newest = this.ring.time(0);
    const dt = this.options.linesDtMs;
    const spanSeconds = (this.ring.capacity * dt) / 1000;
    const step = timeStep(spanSeconds, this.options.compact ? 3 : 6) * 1000;
    context.font = AxisFont;
    context.fillStyle = "#333";
    context.textAlign = "right";
    context.textBaseline = "middle";
    const k = h / this.ring.capacity;
    for (let t = Math.floor(newest / step) * step; t > newest - this.ring.capacity * dt; t -= step) {
      const y = ((newest - t) / dt + 0.5) * k;
      if (y < 6 || y > h - 6) continue;
      context.fillRect(YAxisWidth - 5, Math.round(y), 5, 1);
      context.fillText(utcClock(t, step < 1000), YAxisWidth - 7, y);
    }
  }

  private drawXAxis(w: number): void {
    const canvas = this.xAxis;
    if (canvas.width !== w || canvas.height !== XAxisHeight) {
      canvas.width = w;
      canvas.height = XAxisHeight;
    }
    const context = canvas.getContext("2d")!;
    context.clearRect(0, 0, w, XAxisHeight);
    context.font = AxisFont;
    context.fillStyle = "#333";
    context.textBaseline = "top";
    const axis = this.options.xAxis;
    const target = Math.max(2, Math.floor(w / (this.options.compact ? 70 : 90)));
    const place = (x: number, label: string) => {
      context.fillRect(Math.round(x), 0, 1, 4);
      context.textAlign = x < 20 ? "left" : x > w - 20 ? "right" : "center";
      context.fillText(label, x, 6);
    };
    if (axis.kind === "frequency") {
      const lo = axis.hz[0];
      const hi = axis.hz[axis.hz.length - 1];
      const binHz = axis.hz.length > 1 ? axis.hz[1] - axis.hz[0] : 1;
      const step = niceStep(hi - lo, target);
      for (const f of ticks(lo, hi, step)) place(this.xOfColumn((f - lo) / binHz), `${f} Hz`);
    } else {
      const step = Math.max(1, niceStep(axis.count - 1, target));
      for (const c of ticks(axis.first, axis.first + axis.count - 1, step)) place(this.xOfColumn(c - axis.first), `${c}`);
    }
  }
}
