// The running jobs (GET /jobs) as a table, each with its Attach button.
import type { JobRow } from "./api.js";
import { $ } from "./dom.js";

/** Lists <jobs>; the one being watched has no Attach button, the others call <attach>. */
export function showJobs(jobs: JobRow[], watching: string | undefined, attach: (jobId: string) => void): void {
  const body = $("jobs").querySelector("tbody")!;
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
    button.textContent = watching === job.job_id ? "watching" : "Attach";
    button.disabled = watching === job.job_id;
    button.addEventListener("click", () => attach(job.job_id));
    cell.append(button);
    row.append(cell);
    return row;
  }));
  $("jobs-note").textContent = jobs.length === 0 ? "No running jobs." : "";
}
