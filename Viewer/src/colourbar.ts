// The colour bar beside the pictures: the colour map from the lower to the upper dB limit.
import type { Scale } from "./panel.js";

/** The dB colour bar of <scale> on <canvas>. */
export function drawColourBar(canvas: HTMLCanvasElement, scale: Scale): void {
  const context = canvas.getContext("2d")!;
  const { min, max } = scale.limits;
  const top = 22, bottom = canvas.height - 10, x = 4, w = 16;
  context.clearRect(0, 0, canvas.width, canvas.height);
  for (let y = top; y < bottom; y++) {
    const word = scale.table[Math.floor(((bottom - 1 - y) / (bottom - top - 1)) * 255)];
    context.fillStyle = `rgb(${word & 255},${(word >>> 8) & 255},${(word >>> 16) & 255})`;
    context.fillRect(x, y, w, 1);
  }
  context.fillStyle = "#333";
  context.font = "11px system-ui, sans-serif";
  context.textBaseline = "middle";
  const steps = 5;
  for (let i = 0; i <= steps; i++) {
    const value = min + ((max - min) * i) / steps;
    const y = bottom - 1 - ((bottom - top - 1) * i) / steps;
    context.fillRect(x + w, Math.round(y), 4, 1);
    context.fillText(`${value.toFixed(0)}`, x + w + 6, y);
  }
  context.fillText("dB", x, 8);
}
