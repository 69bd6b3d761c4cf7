// The recordings of one UTC day (/recordings_in_time_range) on a strip: recordings as bars, the
// stretches between them empty; dragging across the strip picks the historic window, its edges
// snapped to the recordings within a few pixels.
import { api, ApiError } from "./api.js";
import { epochToUtcInput, utcInputToEpoch } from "./form.js";
import { clipSpans, snapWindow } from "./spans.js";

const Day = 86_400;
/** How near (CSS pixels) a dragged edge must be to the recordings' edge to snap onto it. */
const SnapPixels = 4;

export class Timeline {
  private spans: [number, number][] = [];
  private dayStart = 0;
  private dragFrom: number | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly day: HTMLInputElement,
    private readonly note: HTMLElement,
    private readonly start: HTMLInputElement,
    private readonly end: HTMLInputElement,
  ) {
    day.value = new Date().toISOString().slice(0, 10);
    day.addEventListener("change", () => void this.load());
    canvas.addEventListener("mousedown", e => (this.dragFrom = this.timeAt(e.offsetX)));
    canvas.addEventListener("mousemove", e => {
      if (this.dragFrom === null) return;
      this.select(this.dragFrom, this.timeAt(e.offsetX));
    });
    window.addEventListener("mouseup", () => (this.dragFrom = null));
    for (const field of [start, end]) field.addEventListener("change", () => this.draw());
    void this.load();
  }

  private async load(): Promise<void> {
    this.dayStart = Math.floor(Date.parse(`${this.day.value}T00:00:00Z`) / 1000);
    if (!Number.isFinite(this.dayStart)) return;
    try {
      const { recordings } = await api.recordings(this.dayStart, this.dayStart + Day);
      this.spans = clipSpans(recordings, this.dayStart, this.dayStart + Day, Date.now() / 1000);
      this.note.textContent = this.spans.length === 0
        ? "No recordings on this day."
        : `${this.spans.length} recording(s); drag across the strip to pick a window.`;
    } catch (error) {
      this.spans = [];
      this.note.textContent = `Recordings unavailable: ${error instanceof ApiError ? error.message : error}`;
    }
    this.draw();
  }

  private timeAt(x: number): number {
    const t = this.dayStart + (x / Math.max(1, this.canvas.clientWidth)) * Day;
    return Math.round(Math.min(this.dayStart + Day, Math.max(this.dayStart, t)));
  }

  private select(a: number, b: number): void {
    const secondsPerPixel = Day / Math.max(1, this.canvas.clientWidth);
    const [from, to] = snapWindow(Math.min(a, b), Math.max(a, b), this.spans, SnapPixels * secondsPerPixel);
    this.start.value = epochToUtcInput(Math.floor(from));
    this.end.value = epochToUtcInput(Math.max(Math.ceil(to), Math.floor(from) + 1));
    this.draw();
  }

  draw(): void {
    const canvas = this.canvas;
    canvas.width = Math.max(1, canvas.clientWidth);
    const context = canvas.getContext("2d")!;
    const w = canvas.width, h = canvas.height;
    const x = (t: number) => ((t - this.dayStart) / Day) * w;
    context.fillStyle = "#eee";
    context.fillRect(0, 0, w, h);
    context.fillStyle = "#3b528b";
    for (const [s, e] of this.spans) context.fillRect(x(s), 6, Math.max(1, x(e) - x(s)), h - 22);
    context.fillStyle = "#555";
    context.font = "10px system-ui, sans-serif";
    for (let hour = 0; hour <= 24; hour += 6) {
      const px = (hour / 24) * w;
      context.fillRect(Math.min(w - 1, px), h - 14, 1, 4);
      context.textAlign = hour === 0 ? "left" : hour === 24 ? "right" : "center";
      context.fillText(`${hour}h`, px, h - 3);
    }
    const from = utcInputToEpoch(this.start.value), to = utcInputToEpoch(this.end.value);
    if (from !== undefined && to !== undefined && to > from) {
      context.fillStyle = "rgba(253, 231, 37, 0.45)";
      context.fillRect(x(from), 0, Math.max(2, x(to) - x(from)), h - 16);
    }
  }
}
