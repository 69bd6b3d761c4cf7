// The /configure form on the page: its values, its errors beside each field, what the view and the fiber allow.
import type { LiveMetadata } from "./api.js";
import { $, input } from "./dom.js";
import { placeErrors, utcInputToEpoch, type FormValues } from "./form.js";
import type { Timeline } from "./timeline.js";

export const form = $<HTMLFormElement>("configure");
const errorSlots = new Set(Array.from(form.querySelectorAll<HTMLElement>("[data-error-for]")).map(e => e.dataset.errorFor!));

export function formValues(): FormValues {
  return {
    viewType: Number($<HTMLSelectElement>("view_type").value),
    channelMin: input("channel_min").value,
    channelMax: input("channel_max").value,
    frequencyMin: input("frequency_min").value,
    frequencyMax: input("frequency_max").value,
    nfft: $<HTMLSelectElement>("nfft").value,
    height: input("height").value,
    duration: input("duration").value,
    historic: input("mode_historic").checked,
    startTime: String(utcInputToEpoch(input("start_time").value) ?? input("start_time").value),
    endTime: String(utcInputToEpoch(input("end_time").value) ?? input("end_time").value),
  };
}

export function showErrors(errors: Record<string, string[]>): void {
  for (const slot of form.querySelectorAll<HTMLElement>("[data-error-for]")) slot.textContent = "";
  for (const field of form.querySelectorAll(".field.invalid")) field.classList.remove("invalid");
  for (const [slot, messages] of placeErrors(errors, errorSlots)) {
    const element = form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(slot)}"]`)!;
    element.textContent = messages.join(" ");
    element.closest(".field")?.classList.add("invalid");
  }
}

/** Shows the fields the chosen view and mode use; <timeline> is drawn once it is visible. */
export function syncFormToView(timeline: Timeline | null): void {
  const waterfall = $<HTMLSelectElement>("view_type").value === "2";
  for (const element of form.querySelectorAll<HTMLElement>(".spectral")) element.hidden = waterfall;
  $("historic").hidden = !input("mode_historic").checked;
  if (!$("historic").hidden) timeline?.draw(); // it has a width only once shown
}

/** The fiber's channel range and Nyquist as the form's hints and input bounds. */
export function showFiberLimits(live: LiveMetadata, channels: { lowest_channel: number; highest_channel: number }): void {
  $("channel-hint").textContent = `${channels.lowest_channel}–${channels.highest_channel}`;
  for (const id of ["channel_min", "channel_max"]) {
    input(id).min = String(channels.lowest_channel);
    input(id).max = String(channels.highest_channel);
  }
  const nyquist = live.prr / 2;
  $("frequency-hint").textContent = `0–${nyquist} (Nyquist)`;
  for (const id of ["frequency_min", "frequency_max"]) {
    input(id).min = "0";
    input(id).max = String(nyquist);
  }
}
