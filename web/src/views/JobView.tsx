import { useEffect, useRef, useState } from "react";
import { ApiError, request } from "../api";
import { type Job, type JobReport, TERMINAL } from "../types";
import { MatchPanel } from "./MatchPanel";
import { ResultPanel } from "./ResultPanel";
import { StageProgress } from "./StageProgress";

const POLL_MS = 1500; // about 40 polls a minute: under the API's default 60 requests per minute per address

function scored(job: Job): boolean {
  return job.stages.some((stage) => stage.name === "score" && stage.finished_at);
}

/** One job: its stages as they happen, then the match and the result. */
export function JobView({ id, initial }: { id: string; initial: Job | null }) {
  const [job, setJob] = useState<Job | null>(initial?.id === id ? initial : null);
  const [report, setReport] = useState<JobReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [cancelling, setCancelling] = useState(false);
  const reportFor = useRef<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    reportFor.current = null;

    async function loadReport(current: Job) {
      // The report reads the job's heavy row: once per stage finished, not per poll.
      const finished = current.stages.filter((s) => s.finished_at).length;
      const key = `${current.state}:${finished}:${current.updated_at}:${current.artifacts_expire_in_s ?? ""}`;
      if (!scored(current) || reportFor.current === key) return;
      reportFor.current = key;
      try {
        const next = await request<JobReport>("GET", `/v1/jobs/${id}/report`);
        if (!stopped) setReport(next);
      } catch (error) {
        reportFor.current = null; // try again on the next poll
        if (!stopped) setProblem(`The report could not be loaded: ${String(error)}`);
      }
    }

    async function tick() {
      let delay = POLL_MS;
      try {
        const current = await request<Job>("GET", `/v1/jobs/${id}`);
        if (stopped) return;
        setJob(current);
        setProblem(null);
        await loadReport(current);
        if (TERMINAL.has(current.state)) {
          if (!current.artifacts_expire_in_s) return; // nothing left that changes
          // Download links are presigned and expire: fetch fresh ones before they do.
          reportFor.current = null;
          delay = current.artifacts_expire_in_s * 800;
        }
      } catch (error) {
        if (stopped) return;
        if (error instanceof ApiError && error.status === 404) {
          setProblem("No such job (or it belongs to another API key).");
          return;
        }
        setProblem(`Could not poll the job: ${error instanceof Error ? error.message : String(error)}; retrying.`);
        delay = POLL_MS * 4;
      }
      timer = setTimeout(tick, delay);
    }

    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);

  const running = job !== null && !TERMINAL.has(job.state);
  useEffect(() => {
    if (!running) return;
    const ticker = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(ticker);
  }, [running]);

  async function cancel() {
    setCancelling(true);
    try {
      setJob(await request<Job>("DELETE", `/v1/jobs/${id}`));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setCancelling(false);
    }
  }

  return (
    <div>
      <h1 id="job-heading">
        {job?.label ? `Job “${job.label}”` : "Tailoring"}{" "}
        <span className="note">{id.slice(0, 8)}</span>
      </h1>
      <section className="card" aria-labelledby="progress-heading">
        <h2 id="progress-heading">Progress</h2>
        <p className="status" role="status" aria-live="polite" data-job-state={job?.state ?? "loading"}>
          {job ? `Job ${job.state}` : "Loading…"}
          {job?.template ? ` · template ${job.template} · provider ${job.provider}` : ""}
        </p>
        {job && <StageProgress job={job} now={now} />}
        {job?.error && (
          <p className="error-text">
            Failed in {job.error.stage ?? "a stage"}: {job.error.field ? <code>{job.error.field}</code> : null}{" "}
            {job.error.message}
          </p>
        )}
        {running && (
          <button type="button" onClick={cancel} disabled={cancelling}>
            {cancelling ? "Cancelling…" : "Cancel"}
          </button>
        )}
        {problem && (
          <p className="error-text" role="alert">
            {problem}
          </p>
        )}
      </section>
      {job && <MatchPanel job={job} report={report} />}
      {job && <ResultPanel job={job} report={report} />}
    </div>
  );
}
