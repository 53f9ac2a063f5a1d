import { useEffect, useState } from "react";
import { request } from "../api";
import { percent } from "../format";
import type { PostingItem } from "../postings";
import type { Batch, BatchWebhooks } from "../types";

const POLL_MS = 1500;

function WebhookStatus({ hooks, batch }: { hooks: BatchWebhooks | null; batch: Batch }) {
  if (!hooks?.webhook_url) return <p className="note">No webhook: this page is how you follow the batch.</p>;
  const last = hooks.deliveries[hooks.deliveries.length - 1];
  let text: string;
  if (!last) text = batch.state === "completed" ? "queued to send" : "sent once the batch completes";
  else if (last.state === "succeeded") text = `delivered (HTTP ${last.last_status}) after ${last.attempts} attempt${last.attempts === 1 ? "" : "s"}`;
  else if (last.state === "failed") text = `gave up after ${last.attempts} attempts (${last.last_error ?? `HTTP ${last.last_status}`})`;
  else text = last.attempts ? `retrying: attempt ${last.attempts} got ${last.last_error ?? `HTTP ${last.last_status}`}` : "sending";
  return (
    <p data-webhook-state={last?.state ?? "none"}>
      Webhook to <code>{hooks.webhook_url}</code>: {text}.
    </p>
  );
}

/** A batch's progress, its webhook, and the postings ranked best first. */
export function BatchPanel({
  id,
  postings,
  onTailor,
}: {
  id: string;
  postings: PostingItem[] | null;
  onTailor: (posting: PostingItem) => void;
}) {
  const [batch, setBatch] = useState<Batch | null>(null);
  const [hooks, setHooks] = useState<BatchWebhooks | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function tick() {
      try {
        const current = await request<Batch>("GET", `/v1/batches/${id}`);
        const webhooks = await request<BatchWebhooks>("GET", `/v1/batches/${id}/webhooks`);
        if (stopped) return;
        setBatch(current);
        setHooks(webhooks);
        setProblem(null);
        const settled = webhooks.deliveries.every((d) => d.state !== "pending");
        const webhookDone = !webhooks.webhook_url || (webhooks.deliveries.length > 0 && settled);
        if (current.state === "completed" && webhookDone) return;
      } catch (error) {
        if (stopped) return;
        setProblem(`Could not poll the batch: ${error instanceof Error ? error.message : String(error)}; retrying.`);
      }
      timer = setTimeout(tick, POLL_MS);
    }
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);

  if (!batch) {
    return (
      <section className="card" aria-labelledby="batch-heading">
        <h2 id="batch-heading">Ranking</h2>
        <p role="status">{problem ?? "Loading…"}</p>
      </section>
    );
  }
  const done = batch.counts.succeeded + batch.counts.failed + batch.counts.cancelled;
  const states = new Map(batch.items.map((item) => [item.job_id, item.state]));
  const ranking = batch.ranking ?? [];
  const hasFit = ranking.some((row) => row.fit !== undefined && row.fit !== null);
  return (
    <section className="card" aria-labelledby="batch-heading">
      <h2 id="batch-heading">Ranking</h2>
      <p role="status" aria-live="polite" data-batch-state={batch.state}>
        {batch.state === "completed" ? "Completed" : "Running"}: {done} of {batch.total} postings done
        {batch.counts.failed ? `, ${batch.counts.failed} failed` : ""}; {ranking.length} scored.
      </p>
      <progress max={batch.total} value={done} aria-label="Postings done">
        {done} of {batch.total}
      </progress>
      <WebhookStatus hooks={hooks} batch={batch} />
      {problem && <p className="error-text">{problem}</p>}
      {ranking.length > 0 && (
        <div className="table-wrap" role="region" aria-label="Postings ranked best first" tabIndex={0}>
          <table className="ranking">
            <caption className="note">
              Ranked by {hasFit ? "fit" : "match rate as written"}, best first.
            </caption>
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Posting</th>
                {hasFit && <th scope="col">Fit</th>}
                <th scope="col">Match</th>
                <th scope="col">Top missing skills</th>
                <th scope="col">Tailoring</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {ranking.map((row) => {
                const posting = postings?.[row.index];
                const name = row.label ?? `posting ${row.index + 1}`;
                return (
                  <tr key={row.job_id} data-rank={row.rank}>
                    <td>{row.rank}</td>
                    <th scope="row">
                      {row.title ?? "untitled"}
                      <span className="note"> {name}</span>
                    </th>
                    {hasFit && <td>{percent(row.fit)}</td>}
                    <td>{percent(row.match_rate)}</td>
                    <td>{row.top_missing.length ? row.top_missing.join(", ") : <span className="note">none</span>}</td>
                    <td>
                      <a href={`#/jobs/${row.job_id}`}>
                        {states.get(row.job_id) ?? "unknown"}
                        <span className="visually-hidden"> — open the job for {name}</span>
                      </a>
                    </td>
                    <td>
                      {posting ? (
                        <button type="button" onClick={() => onTailor(posting)} aria-label={`Tailor this one: ${row.title ?? name}`}>
                          Tailor this one
                        </button>
                      ) : (
                        <span className="note">posting not in this tab</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
