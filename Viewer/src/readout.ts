// The read-out under the pictures: channel, frequency, UTC time and dB of the cell under the cursor.
import { $ } from "./dom.js";
import type { Panel } from "./panel.js";
import { RowKind } from "./ring.js";
import { utcMillis } from "./ticks.js";

export function showReadout(panel: Panel, event: MouseEvent): void {
  const r = panel.readoutAt(event.offsetX, event.offsetY);
  if (!r) return;
  const parts = [`channel ${r.channel}`];
  if (r.frequencyHz !== null) parts.push(`${r.frequencyHz.toFixed(2)} Hz`);
  parts.push(`${utcMillis(r.timeMs)} UTC`);
  parts.push(r.kind === RowKind.Data ? `${r.value!.toFixed(1)} dB` : r.kind === RowKind.Dropped ? "dropped on the way" : "no data");
  $("readout").textContent = parts.join(" · ");
}
