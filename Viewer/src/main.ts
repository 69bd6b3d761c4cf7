// The viewer page: the /configure form, the running jobs, and the pictures of the attached job.
import { api, ApiError, type JobMetadata, type LiveMetadata } from "./api.js";
import { autoLimits, colormapTable, Colormaps, type ColormapName, type Limits } from "./colour.js";
import { currentCredential, signIn, signOut, type CredentialKind } from "./credentials.js";
import { linesOf } from "./decode.js";
import { configureBody, placeErrors, utcInputToEpoch, type FormValues } from "./form.js";
import { Panel, type Scale } from "./panel.js";
import { RowKind } from "./ring.js";
import { AllStreams, streamData, streamEnd, type StreamEnd } from "./stream.js";
import { Timeline } from "./timeline.js";
import { utcMillis } from "./ticks.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => $<HTMLInputElement>(id);

const ViewNames = ["MULTICHANNEL", "SINGLECHANNEL", "WATERFALL"];
/** The most lines a picture keeps: the time axis, and memory, stay bounded whatever height is asked. */
const MaxLinesPerPicture = 2000;
const MaxLinesPerSmallPicture = 500;

interface Session {
  job: JobMetadata;
  streamId: number;
  panels: Map<number, Panel>;
  abort: AbortController;
  arrivals: { at: number; lines: number }[];
  paused: boolean;
  ended: StreamEnd | null;
  lastLineMs: number;
}

const scale: Scale & { auto: boolean; name: ColormapName } = {
  table: colormapTable("viridis"),
  limits: { min: -40, max: 40 },
  auto: true,
  name: "viridis",
};
let limitsKnown = false;
let session: Session | null = null;
let fiber: LiveMetadata | null = null;
let timeline: Timeline | null = null;

// ---------- the form ----------

const form = $<HTMLFormElement>("configure");
const errorSlots = new Set(Array.from(form.querySelectorAll<HTMLElement>("[data-error-for]")).map(e => e.dataset.errorFor!));

function formValues(): FormValues {
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

function showErrors(errors: Record<string, string[]>): void {
  for (const slot of form.querySelectorAll<HTMLElement>("[data-error-for]")) slot.textContent = "";
  for (const field of form.querySelectorAll(".field.invalid")) field.classList.remove("invalid");
  for (const [slot, messages] of placeErrors(errors, errorSlots)) {
    const element = form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(slot)}"]`)!;
    element.textContent = messages.join(" ");
    element.closest(".field")?.classList.add("invalid");
  }
}

function syncFormToView(): void {
  const waterfall = $<HTMLSelectElement>("view_type").value === "2";
  for (const element of form.querySelectorAll<HTMLElement>(".spectral")) element.hidden = waterfall;
  $("historic").hidden = !input("mode_historic").checked;
  if (!$("historic").hidden) timeline?.draw(); // it has a width only once shown
}

async function submit(event: Event): Promise<void> {
  event.preventDefault();
  const button = $<HTMLButtonElement>("start");
  button.disabled = true;
  showErrors({});
  try {
    const job = await api.configure(configureBody(formValues()));
    const metadata = await api.metadata(job.job_id);
    history.replaceState(null, "", `#job=${encodeURIComponent(job.job_id)}`);
    attach(metadata);
    void refreshJobs();
  } catch (error) {
    const problem = error instanceof ApiError ? error.problem : { status: 0, detail: String(error) };
    showErrors(problem.errors ?? { "": [`${problem.status ? `${problem.status}: ` : ""}${problem.detail ?? problem.title ?? "request failed"}`] });
  } finally {
    button.disabled = false;
  }
}

// ---------- running jobs ----------

async function refreshJobs(): Promise<void> {
  const body = $("jobs").querySelector("tbody")!;
  try {
    const { jobs } = await api.jobs();
    body.replaceChildren(...jobs.map(job => {
      const row = document.createElement("tr");
      row.dataset.jobId = job.job_id;
      for (const text of [job.job_id, job.state, job.mode, `${Math.round(job.age_seconds)} s`, job.owner ?? ""]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      const cell = document.createElement("td");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "attach";
      button.textContent = session?.job.job_id === job.job_id ? "watching" : "Attach";
      button.disabled = session?.job.job_id === job.job_id;
      button.addEventListener("click", () => void attachById(job.job_id));
      cell.append(button);
      row.append(cell);
      return row;
    }));
    $("jobs-note").textContent = jobs.length === 0 ? "No running jobs." : "";
  } catch (error) {
    $("jobs-note").textContent = `Cannot list jobs: ${error instanceof Error ? error.message : error}`;
  }
}

async function attachById(jobId: string): Promise<void> {
  try {
    const job = await api.metadata(jobId);
    history.replaceState(null, "", `#job=${encodeURIComponent(jobId)}`);
    attach(job);
  } catch (error) {
    showEnded({ code: "NOT_FOUND", message: error instanceof Error ? error.message : String(error) });
  }
}

// ---------- a session: one attached job ----------

function attach(job: JobMetadata, streamId?: number): void {
  detach();
  const multichannel = job.view_type === 0;
  const chosen = streamId ?? (multichannel && job.stream_amount > 1 ? AllStreams : 0);
  session = {
    job, streamId: chosen, panels: new Map(), abort: new AbortController(),
    arrivals: [], paused: false, ended: null, lastLineMs: Number.NaN,
  };
  buildPanels(session);
  buildStreamChoice(job, chosen);
  $("job-title").textContent = `Job ${job.job_id}: ${ViewNames[job.view_type]} ${job.mode}, channels ${channelRange(job)}, a line every ${job.lines_dt * 1000} ms`;
  $("job-title").classList.remove("muted");
  $("ended").hidden = true;
  $("state").textContent = job.state;
  for (const id of ["pause", "stop"]) $<HTMLButtonElement>(id).disabled = false;
  $<HTMLButtonElement>("resume").disabled = true;
  void read(session);
  void refreshJobs();
}

function detach(): void {
  if (!session) return;
  session.abort.abort();
  session = null;
  $("plots").replaceChildren();
}

function channelRange(job: JobMetadata): string {
  const channels = Object.keys(job.channel_to_stream_index).map(Number).sort((a, b) => a - b);
  return channels.length === 1 ? `${channels[0]}` : `${channels[0]}–${channels[channels.length - 1]}`;
}

function buildPanels(s: Session): void {
  const job = s.job;
  const plots = $("plots");
  const height = Number((job.request as { displayInfo?: { height?: number } }).displayInfo?.height ?? 1000);
  const linesDtMs = job.lines_dt * 1000;
  const channels = Object.keys(job.channel_to_stream_index).map(Number).sort((a, b) => a - b);
  const many = s.streamId === AllStreams;
  plots.classList.toggle("multiples", many);
  const capacity = Math.max(1, Math.min(height, many ? MaxLinesPerSmallPicture : MaxLinesPerPicture));
  const add = (key: number, panel: Panel) => {
    s.panels.set(key, panel);
    plots.append(panel.element);
    panel.picture.addEventListener("mousemove", e => showReadout(panel, e));
    panel.picture.addEventListener("mouseleave", () => ($("readout").textContent = ""));
  };
  if (job.view_type === 2) {
    add(channels[0], new Panel({
      title: `WATERFALL, channels ${channels[0]}–${channels[channels.length - 1]} (mean power, dB)`,
      xAxis: { kind: "channel", first: channels[0], count: job.channel_amount },
      capacity, linesDtMs, heightPx: 480, compact: false,
    }));
    return;
  }
  const shown = many ? channels : [channels.find(c => job.channel_to_stream_index[String(c)] === s.streamId) ?? channels[0]];
  for (const channel of shown) {
    add(channel, new Panel({
      title: `channel ${channel}`,
      xAxis: { kind: "frequency", hz: job.frequencies_list, channel },
      capacity, linesDtMs, heightPx: many ? 160 : 480, compact: many,
    }));
  }
}

function buildStreamChoice(job: JobMetadata, chosen: number): void {
  const select = $<HTMLSelectElement>("stream");
  const multichannel = job.view_type === 0 && job.stream_amount > 1;
  $("stream-choice").hidden = !multichannel;
  if (!multichannel) return;
  const options = [new Option(`all ${job.stream_amount} channels`, String(AllStreams))];
  for (const [channel, index] of Object.entries(job.channel_to_stream_index).sort((a, b) => a[1] - b[1]))
    options.push(new Option(`channel ${channel}`, String(index)));
  select.replaceChildren(...options);
  select.value = String(chosen);
}

async function read(s: Session): Promise<void> {
  try {
    for await (const message of streamData(s.job.job_id, s.streamId, s.abort.signal)) {
      const lines = linesOf(message);
      const panel = s.panels.get(s.job.view_type === 2 ? s.panels.keys().next().value! : message.startChannel);
      if (!panel) continue;
      for (const line of lines) panel.ingest(line);
      s.arrivals.push({ at: performance.now(), lines: lines.length });
      s.lastLineMs = lines.length ? lines[lines.length - 1].timeMs : s.lastLineMs;
      if (!limitsKnown) {
        scale.limits = autoLimits([message.globalMinimum, message.globalMaximum]) ?? scale.limits;
        limitsKnown = true;
      }
    }
    if (session === s) ended(s, { code: "OK", message: "" });
  } catch (error) {
    if (s.abort.signal.aborted) return; // left the job or the page
    ended(s, streamEnd(error));
  }
}

function ended(s: Session, end: StreamEnd): void {
  s.ended = end;
  for (const id of ["pause", "resume"]) $<HTMLButtonElement>(id).disabled = true;
  showEnded(end, s);
  void pollState();
  void refreshJobs();
}

function showEnded(end: StreamEnd, s?: Session): void {
  const box = $("ended");
  box.hidden = false;
  box.classList.toggle("failed", end.code !== "OK" && end.code !== "CANCELLED");
  const last = s && Number.isFinite(s.lastLineMs) ? ` Last line ${utcMillis(s.lastLineMs)} UTC.` : "";
  box.dataset.code = end.code;
  box.textContent = end.code === "OK"
    ? `END OF WINDOW: the historic window has been played to its end.${last}`
    : `${end.code}: ${end.message || "the stream ended"}.${last}`;
}

// ---------- every frame ----------

function frame(): void {
  const s = session;
  if (s && !s.paused) {
    for (const panel of s.panels.values()) panel.paint(scale);
    for (const panel of s.panels.values()) panel.draw();
  }
  requestAnimationFrame(frame);
}

function updateStatus(): void {
  const s = session;
  if (!s) return;
  const now = performance.now();
  while (s.arrivals.length && now - s.arrivals[0].at > 2000) s.arrivals.shift();
  const perStream = s.panels.size || 1;
  const lines = s.arrivals.reduce((sum, a) => sum + a.lines, 0);
  let received = 0, drawn = 0, dropped = 0, holes = 0;
  for (const p of s.panels.values()) {
    received += p.received;
    drawn += p.drawn;
    dropped += p.dropped;
    holes += p.holes;
  }
  $("rate").textContent = (lines / 2 / perStream).toFixed(0) + (perStream > 1 ? ` × ${perStream}` : "");
  $("received").textContent = String(received);
  $("drawn").textContent = String(drawn);
  $("dropped").textContent = String(dropped);
  $("holes").textContent = String(holes);
}

function updateAutoLimits(): void {
  const s = session;
  if (!s || !scale.auto || s.paused) return;
  const sample: number[] = [];
  for (const panel of s.panels.values()) {
    const ring = panel.ring;
    const rows = Math.min(ring.size, 200);
    const stride = Math.max(1, Math.floor((rows * ring.width * s.panels.size) / 40000));
    for (let age = 0; age < rows; age++) {
      if (ring.kind(age) !== RowKind.Data) continue;
      const row = ring.row(age);
      for (let i = (age * 7) % stride; i < row.length; i += stride) sample.push(row[i]);
    }
  }
  const limits = autoLimits(sample);
  if (!limits) return;
  if (Math.abs(limits.min - scale.limits.min) > 1 || Math.abs(limits.max - scale.limits.max) > 1) setLimits(limits);
}

function setLimits(limits: Limits): void {
  scale.limits = { min: Math.round(limits.min), max: Math.round(limits.max) };
  limitsKnown = true;
  input("limit_min").value = String(scale.limits.min);
  input("limit_max").value = String(scale.limits.max);
  repaintAll();
}

function repaintAll(): void {
  drawColourBar();
  if (!session || session.paused) return;
  for (const panel of session.panels.values()) panel.repaint(scale);
}

function drawColourBar(): void {
  const canvas = $<HTMLCanvasElement>("colourbar");
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

function showReadout(panel: Panel, event: MouseEvent): void {
  const r = panel.readoutAt(event.offsetX, event.offsetY);
  if (!r) return;
  const parts = [`channel ${r.channel}`];
  if (r.frequencyHz !== null) parts.push(`${r.frequencyHz.toFixed(2)} Hz`);
  parts.push(`${utcMillis(r.timeMs)} UTC`);
  parts.push(r.kind === RowKind.Data ? `${r.value!.toFixed(1)} dB` : r.kind === RowKind.Dropped ? "dropped on the way" : "no data");
  $("readout").textContent = parts.join(" · ");
}

async function pollState(): Promise<void> {
  const s = session;
  if (!s) return;
  try {
    const job = await api.metadata(s.job.job_id);
    if (session !== s) return;
    $("state").textContent = job.state + (job.failure_reason ? ` (${job.failure_reason})` : "");
    $("state").dataset.state = job.state;
    $("stop").toggleAttribute("disabled", ["completed", "failed", "cancelled", "expired"].includes(job.state));
  } catch (error) {
    $("state").textContent = error instanceof Error ? error.message : String(error);
  }
}

async function stop(): Promise<void> {
  const s = session;
  if (!s || !confirm(`Stop job ${s.job.job_id}? Its stream ends for every viewer.`)) return;
  $<HTMLButtonElement>("stop").disabled = true;
  try {
    const job = await api.cancel(s.job.job_id);
    $("state").textContent = job.state;
    $("state").dataset.state = job.state;
  } catch (error) {
    showEnded({ code: "ERROR", message: error instanceof Error ? error.message : String(error) });
  }
}

function setPaused(paused: boolean): void {
  if (!session) return;
  session.paused = paused;
  $<HTMLButtonElement>("pause").disabled = paused;
  $<HTMLButtonElement>("resume").disabled = !paused;
  if (!paused) repaintAll();
}

async function loadFiber(): Promise<void> {
  try {
    const [live, channels] = await Promise.all([api.liveMetadata(), api.channels()]);
    fiber = live;
    $("fiber").textContent = `fiber: ${live.number_of_channels} channels, ${live.prr} Hz, ${live.dx} m apart (${live.fiber_description})`;
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
  } catch (error) {
    $("fiber").textContent = `fiber: ${error instanceof Error ? error.message : error}`;
  }
}

// ---------- sign-in (Focus:Auth:Mode apikey or jwt) ----------

function showSignedIn(): void {
  const credential = currentCredential();
  $("signin_state").textContent = credential ? `signed in with ${credential.kind === "apikey" ? "an API key" : "a token"}` : "";
  input("signin_value").hidden = credential !== null;
  $<HTMLSelectElement>("signin_kind").hidden = credential !== null;
  $("signin_button").hidden = credential !== null;
  $("signout_button").hidden = credential === null;
}

function showAuthProblem(status: number, detail: string): void {
  const problem = $("auth-problem");
  problem.textContent = status === 401
    ? `Not signed in, or the API key or token was refused (401): ${detail}`
    : `Not allowed (403): ${detail}`;
  problem.hidden = false;
}

function setUpSignIn(): void {
  $("signin").addEventListener("submit", e => {
    e.preventDefault();
    const value = input("signin_value").value.trim();
    if (!value) return;
    signIn({ kind: $<HTMLSelectElement>("signin_kind").value as CredentialKind, value });
    input("signin_value").value = "";
    $("auth-problem").hidden = true;
    showSignedIn();
    void loadFiber();
    void refreshJobs();
  });
  $("signout_button").addEventListener("click", () => {
    signOut();
    showSignedIn();
    void refreshJobs();
  });
  document.addEventListener("focus-auth", e => {
    const { status, detail } = (e as CustomEvent<{ status: number; detail: string }>).detail;
    showAuthProblem(status, detail);
  });
  showSignedIn();
}

function init(): void {
  setUpSignIn();
  const nfft = $<HTMLSelectElement>("nfft");
  for (let n = 128; n <= 65536; n *= 2) nfft.append(new Option(String(n), String(n), n === 1024, n === 1024));
  const colormap = $<HTMLSelectElement>("colormap");
  for (const name of Object.keys(Colormaps)) colormap.append(new Option(name, name));
  colormap.addEventListener("change", () => {
    scale.name = colormap.value as ColormapName;
    scale.table = colormapTable(scale.name);
    repaintAll();
  });
  input("auto_limits").addEventListener("change", () => {
    scale.auto = input("auto_limits").checked;
    input("limit_min").disabled = scale.auto;
    input("limit_max").disabled = scale.auto;
  });
  for (const id of ["limit_min", "limit_max"]) input(id).addEventListener("change", () => {
    const min = Number(input("limit_min").value), max = Number(input("limit_max").value);
    if (Number.isFinite(min) && Number.isFinite(max) && max > min) setLimits({ min, max });
  });
  $<HTMLSelectElement>("stream").addEventListener("change", () => {
    if (session) attach(session.job, Number($<HTMLSelectElement>("stream").value));
  });
  form.addEventListener("submit", e => void submit(e));
  for (const id of ["view_type", "mode_live", "mode_historic"]) $(id).addEventListener("change", syncFormToView);
  $("pause").addEventListener("click", () => setPaused(true));
  $("resume").addEventListener("click", () => setPaused(false));
  $("stop").addEventListener("click", () => void stop());
  window.addEventListener("pagehide", () => detach()); // leaving the page closes the stream
  timeline = new Timeline($<HTMLCanvasElement>("timeline"), input("timeline_day"), $("timeline-note"), input("start_time"), input("end_time"));

  syncFormToView();
  drawColourBar();
  void loadFiber();
  void refreshJobs();
  setInterval(() => void refreshJobs(), 3000);
  setInterval(() => void pollState(), 2000);
  setInterval(updateStatus, 250);
  setInterval(updateAutoLimits, 1000);
  requestAnimationFrame(frame);

  const follow = () => {
    const linked = /^#job=(.+)$/.exec(location.hash);
    if (linked && decodeURIComponent(linked[1]) !== session?.job.job_id) void attachById(decodeURIComponent(linked[1]));
  };
  window.addEventListener("hashchange", follow);
  follow();
}

/** Read by the browser tests and the speed measurement (docs/PERFORMANCE.md). */
declare global {
  interface Window {
    focusViewer: unknown;
  }
}
window.focusViewer = {
  fiber: () => fiber,
  job: () => session?.job ?? null,
  limits: () => scale.limits,
  ended: () => session?.ended ?? null,
  panels: () => Array.from(session?.panels.values() ?? []).map(p => ({
    title: p.options.title, received: p.received, drawn: p.drawn, dropped: p.dropped, holes: p.holes,
    unpainted: p.unpainted, rows: p.ring.size, capacity: p.ring.capacity, width: p.ring.width,
  })),
  /** x (CSS pixels, on panel i's picture) of the column nearest to a frequency (Hz) or a channel. */
  xOf: (panelIndex: number, value: number) => {
    const panel = Array.from(session?.panels.values() ?? [])[panelIndex];
    if (!panel) return null;
    const axis = panel.options.xAxis;
    const column = axis.kind === "frequency"
      ? axis.hz.reduce((best, f, i) => (Math.abs(f - value) < Math.abs(axis.hz[best] - value) ? i : best), 0)
      : value - axis.first;
    return panel.xOfColumn(column);
  },
};

init();
