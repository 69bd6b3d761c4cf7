// The viewer page: the /configure form, the running jobs, and the pictures of the attached job.
import { api, ApiError, type JobMetadata, type LiveMetadata } from "./api.js";
import { autoLimits, colormapTable, Colormaps, type ColormapName, type Limits } from "./colour.js";
import { drawColourBar } from "./colourbar.js";
import { linesOf } from "./decode.js";
import { $, input } from "./dom.js";
import { configureBody } from "./form.js";
import { form, formValues, showErrors, showFiberLimits, syncFormToView } from "./formview.js";
import { showJobs } from "./jobslist.js";
import { Panel, type Scale } from "./panel.js";
import { RowKind } from "./ring.js";
import { showReadout } from "./readout.js";
import { setUpSignIn } from "./signin.js";
import { AllStreams, streamData, streamEnd, type StreamEnd } from "./stream.js";
import { Timeline } from "./timeline.js";
import { utcMillis } from "./ticks.js";

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
  try {
    const { jobs } = await api.jobs();
    showJobs(jobs, session?.job.job_id, jobId => void attachById(jobId));
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
  drawColourBar($<HTMLCanvasElement>("colourbar"), scale);
  if (!session || session.paused) return;
  for (const panel of session.panels.values()) panel.repaint(scale);
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
    showFiberLimits(live, channels);
  } catch (error) {
    $("fiber").textContent = `fiber: ${error instanceof Error ? error.message : error}`;
  }
}

function init(): void {
  setUpSignIn(() => {
    void loadFiber();
    void refreshJobs();
  }, () => void refreshJobs());
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
  for (const id of ["view_type", "mode_live", "mode_historic"]) $(id).addEventListener("change", () => syncFormToView(timeline));
  $("pause").addEventListener("click", () => setPaused(true));
  $("resume").addEventListener("click", () => setPaused(false));
  $("stop").addEventListener("click", () => void stop());
  window.addEventListener("pagehide", () => detach()); // leaving the page closes the stream
  timeline = new Timeline($<HTMLCanvasElement>("timeline"), input("timeline_day"), $("timeline-note"), input("start_time"), input("end_time"));

  syncFormToView(timeline);
  drawColourBar($<HTMLCanvasElement>("colourbar"), scale);
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
