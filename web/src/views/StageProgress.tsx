import { duration, elapsedSince } from "../format";
import { type Job, STAGES, TERMINAL } from "../types";

type StageStatus = "done" | "running" | "waiting" | "failed" | "not run";

function statusOf(job: Job, name: string): StageStatus {
  const timing = job.stages.find((s) => s.name === name);
  if (timing?.finished_at) return "done";
  if (job.state === "failed" && job.error?.stage === name) return "failed";
  if (timing?.started_at) return TERMINAL.has(job.state) ? "not run" : "running";
  return TERMINAL.has(job.state) ? "not run" : "waiting";
}

const MARK: Record<StageStatus, string> = { done: "✓", running: "…", waiting: "○", failed: "✕", "not run": "–" };

/** The five stages as they happen, with the time each took (or has taken so far). */
export function StageProgress({ job, now }: { job: Job; now: number }) {
  return (
    <ol className="stages" aria-label="Stages">
      {STAGES.map((name) => {
        const status = statusOf(job, name);
        const timing = job.stages.find((s) => s.name === name);
        const took =
          status === "done"
            ? duration(timing?.duration_ms)
            : status === "running"
              ? `${duration(elapsedSince(timing?.started_at ?? null, now))} so far`
              : "";
        return (
          <li key={name} className={`stage stage-${status.replace(" ", "-")}`} data-stage={name} data-status={status}>
            <span className="stage-mark" aria-hidden="true">
              {MARK[status]}
            </span>
            <span className="stage-name">{name}</span>
            <span className="stage-status">{status}</span>
            <span className="stage-time">{took}</span>
          </li>
        );
      })}
    </ol>
  );
}
