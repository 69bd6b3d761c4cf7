// The /configure form: its values as a request body (CONTRACT §1 field names), and a 422's field
// messages shown beside the fields they name. The gateway is the only judge of validity: the form
// sends what was typed (blank fields are left out) and shows what the gateway answers.

export interface FormValues {
  viewType: number;
  channelMin: string;
  channelMax: string;
  frequencyMin: string;
  frequencyMax: string;
  nfft: string;
  height: string;
  duration: string;
  historic: boolean;
  /** Epoch seconds, or blank. */
  startTime: string;
  endTime: string;
}

const number = (text: string): number | undefined => {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
};

/** Leaves out absent values so the gateway names a missing field rather than a null one. */
function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

export function configureBody(v: FormValues): Record<string, unknown> {
  const waterfall = v.viewType === 2;
  const body: Record<string, unknown> = {
    view_type: v.viewType,
    displayInfo: compact({ height: number(v.height) }),
    channels: compact({ min: number(v.channelMin), max: number(v.channelMax) }),
  };
  if (!waterfall) {
    body.nfftSelection = number(v.nfft);
    body.displayTimeAxisDuration = number(v.duration);
    const range = compact({ min: number(v.frequencyMin), max: number(v.frequencyMax) });
    if (Object.keys(range).length > 0) body.frequencyRange = range;
  }
  if (v.historic) {
    body.start_time = number(v.startTime) ?? (v.startTime.trim() || undefined);
    body.end_time = number(v.endTime) ?? (v.endTime.trim() || undefined);
  }
  return compact(body);
}

/**
 * Where each 422 message goes: the field's own slot if the form has one, else the nearest parent
 * (`channels.min` -> `channels`), else the form's general slot (key "").
 */
export function placeErrors(errors: Record<string, string[]>, slots: ReadonlySet<string>): Map<string, string[]> {
  const placed = new Map<string, string[]>();
  for (const [key, messages] of Object.entries(errors)) {
    let slot = key;
    while (slot !== "" && !slots.has(slot)) slot = slot.includes(".") ? slot.slice(0, slot.lastIndexOf(".")) : "";
    placed.set(slot, [...(placed.get(slot) ?? []), ...messages]);
  }
  return placed;
}

/** A UTC "YYYY-MM-DDTHH:MM:SS" (datetime-local read as UTC) as epoch seconds. */
export function utcInputToEpoch(text: string): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(`${text.length === 16 ? `${text}:00` : text}Z`);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

export function epochToUtcInput(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}
