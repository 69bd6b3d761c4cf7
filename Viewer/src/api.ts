// The gateway's REST surface (CONTRACT §1), called relative to the page: the viewer lives at
// {path base}/viewer/, so "../" is the API root under any Focus:Gateway:PathBase.

import { authHeaders } from "./credentials.js";

export const apiRoot = new URL("../", document.baseURI);

export interface ConfigureResponse {
  job_id: string;
  stream_url: string;
  stream_port: number;
  view_type: number;
  channel_amount: number;
  stream_amount: number;
  channel_to_stream_index: Record<string, number>;
  frequencies_list: number[];
  frequencies_amount: number;
  lines_dt: number;
  internal_nfft: number;
  metadata: { prr: number; dx: number; number_of_channels: number };
  mode: "live" | "historic";
  created_at: string;
  /** With auth on: who configured the job. */
  owner?: string;
}

export interface JobMetadata extends ConfigureResponse {
  status: string;
  state: string;
  request: Record<string, unknown>;
  connected_clients: number;
  lines_emitted: number;
  gaps: number;
  dropped_lines: number;
  failure_reason: string | null;
}

export interface JobRow {
  job_id: string;
  state: string;
  mode: string;
  silo: string;
  stream_port: number;
  age_seconds: number;
  created_at: string;
  owner?: string;
}

export interface LiveMetadata {
  prr: number;
  dx: number;
  number_of_channels: number;
  fiber_description: string;
  sw_version: string;
}

export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const headers = { ...authHeaders(), ...(init?.headers as Record<string, string> | undefined) };
  const response = await fetch(new URL(path, apiRoot), { cache: "no-store", ...init, headers });
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const problem = (body && typeof body === "object" ? body : {}) as Problem;
    if (response.status === 401 || response.status === 403)
      document.dispatchEvent(new CustomEvent("focus-auth", { detail: { status: response.status, detail: problem.detail ?? "" } }));
    throw new ApiError({ ...problem, status: response.status, detail: problem.detail ?? (text || response.statusText) });
  }
  return body as T;
}

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

export const api = {
  liveMetadata: () => call<LiveMetadata>("live_metadata"),
  channels: () => call<{ lowest_channel: number; highest_channel: number }>("channels"),
  configure: (request: Record<string, unknown>) => call<ConfigureResponse>("configure", json(request)),
  metadata: (jobId: string) => call<JobMetadata>(`metadata/${encodeURIComponent(jobId)}`),
  jobs: () => call<{ jobs: JobRow[] }>("jobs"),
  cancel: (jobId: string) => call<JobMetadata>(`job/${encodeURIComponent(jobId)}`, { method: "DELETE" }),
  recordings: (start: number, end: number) =>
    call<{ recordings: [number, number][] }>("recordings_in_time_range", json({ start_time: start, end_time: end })),
};
