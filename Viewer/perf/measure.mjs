// Measures the viewer in headless Chromium against a running service (docs/PERFORMANCE.md, "Viewer"):
//   dotnet run -c Release --project Silo                      # in one terminal
//   node Viewer/perf/measure.mjs --url http://127.0.0.1:5000 --seconds 60
// For each scenario it configures a job over REST, opens /viewer/#job=ID in Debian's Chromium
// (driven by /usr/bin/chromedriver over the WebDriver protocol: no extra package), lets it warm
// up, then counts over the window what the page received and drew, the lines dropped on the way,
// frame intervals and the JS heap. The job is deleted at the end.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const base = arg("url", "http://127.0.0.1:5000").replace(/\/$/, "");
const seconds = Number(arg("seconds", "60"));
const warmup = Number(arg("warmup", "5"));
const only = arg("scenario", "");
const driverPort = 9515 + Math.floor(Math.random() * 400);

const scenarios = {
  "waterfall-2222": { view_type: 2, displayInfo: { height: 1000 }, channels: { min: 1, max: 2222 } },
  "multichannel-50": {
    view_type: 0, displayInfo: { height: 1000 }, channels: { min: 1001, max: 1050 }, nfftSelection: 1024,
    displayTimeAxisDuration: 10, frequencyRange: { min: 0, max: 500 },
  },
};

const sleep = ms => new Promise(r => setTimeout(r, ms));
async function rest(method, path, body) {
  const response = await fetch(`${base}${path}`, { method, headers: { "Content-Type": "application/json" }, body: body && JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}
async function wd(method, path, body) {
  const response = await fetch(`http://127.0.0.1:${driverPort}${path}`, { method, headers: { "Content-Type": "application/json" }, body: body && JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`webdriver ${path}: ${JSON.stringify(json.value)}`);
  return json.value;
}

const profile = mkdtempSync(join(tmpdir(), "viewer-perf-"));
const driver = spawn("/usr/bin/chromedriver", [`--port=${driverPort}`], { stdio: "ignore" });
try {
  for (let i = 0; i < 50; i++) {
    try { await wd("GET", "/status"); break; } catch { await sleep(100); }
  }
  const session = await wd("POST", "/session", {
    capabilities: { alwaysMatch: { browserName: "chrome", "goog:chromeOptions": {
      binary: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000", "--js-flags=--expose-gc", "--enable-precise-memory-info", `--user-data-dir=${profile}`],
    } } },
  });
  const run = (script, args = []) => wd("POST", `/session/${session.sessionId}/execute/sync`, { script, args });
  // The heap is read after a full collection, so it shows what the page holds, not garbage not yet collected.
  const snapshot = () => run(`
    if (window.gc) window.gc();
    const panels = window.focusViewer.panels();
    const sum = k => panels.reduce((s, p) => s + p[k], 0);
    return { at: performance.now(), received: sum("received"), drawn: sum("drawn"), dropped: sum("dropped"), unpainted: sum("unpainted"),
      panels: panels.length, width: panels[0] && panels[0].width, capacity: panels[0] && panels[0].capacity,
      heap: performance.memory ? performance.memory.usedJSHeapSize : null, gc: typeof window.gc === "function", frames: window.__frames.length };`);

  for (const [name, body] of Object.entries(scenarios)) {
    if (only && name !== only) continue;
    const job = await rest("POST", "/configure", body);
    try {
      await wd("POST", `/session/${session.sessionId}/url`, { url: "about:blank" });
      await wd("POST", `/session/${session.sessionId}/url`, { url: `${base}/viewer/#job=${encodeURIComponent(job.job_id)}` });
      await run(`window.__frames = []; (function tick(t) { window.__frames.push(t); requestAnimationFrame(tick); })(performance.now());`);
      await sleep(warmup * 1000);
      const first = await snapshot();
      const heaps = [first.heap];
      for (let t = 0; t < seconds; t += seconds / 4) {
        await sleep((seconds / 4) * 1000);
        heaps.push((await snapshot()).heap);
      }
      const last = await snapshot();
      const intervals = await run(`const f = window.__frames.slice(arguments[0]); return f.slice(1).map((t, i) => t - f[i]);`, [first.frames]);
      intervals.sort((a, b) => a - b);
      const q = p => intervals[Math.min(intervals.length - 1, Math.floor(p * intervals.length))];
      const span = (last.at - first.at) / 1000;
      const received = last.received - first.received, drawn = last.drawn - first.drawn;
      console.log(JSON.stringify({
        scenario: name, job: job.job_id, streams: job.stream_amount, values_per_line: last.width, lines_kept_per_picture: last.capacity,
        seconds: Number(span.toFixed(1)), received, drawn, behind_at_end: last.received - last.drawn,
        received_per_second: Number((received / span).toFixed(1)), dropped_on_the_way: last.dropped - first.dropped,
        pushed_out_unpainted: last.unpainted - first.unpainted,
        frames_per_second: Number((intervals.length / span).toFixed(1)), frame_ms_p50: Number(q(0.5).toFixed(1)), frame_ms_p99: Number(q(0.99).toFixed(1)),
        gc: last.gc, heap_mb: heaps.map(h => h && Number((h / 2 ** 20).toFixed(1))),
      }));
    } finally {
      await rest("DELETE", `/job/${encodeURIComponent(job.job_id)}`);
    }
  }
  await wd("DELETE", `/session/${session.sessionId}`);
} finally {
  driver.kill();
  rmSync(profile, { recursive: true, force: true });
}
