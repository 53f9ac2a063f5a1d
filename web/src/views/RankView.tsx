import { type ChangeEvent, type FormEvent, useRef, useState } from "react";
import { ApiError, request, SubmitKeys } from "../api";
import { FieldErrors } from "../components/FieldErrors";
import { type ResumeDraft, ResumeInput } from "../components/ResumeInput";
import { ProviderSelect } from "../components/TemplatePicker";
import { checkPostings, parseJsonl, type PostingItem, splitPostings } from "../postings";
import { checkResume } from "../resumeCheck";
import type { BatchAccepted, FieldError, Meta } from "../types";
import { BatchPanel } from "./BatchPanel";

export interface RankDraft {
  text: string; // pasted postings, separated by `---` lines
  jsonl: { name: string; text: string } | null; // a JSONL file, which wins over the paste
}

interface Props {
  meta: Meta;
  batchId: string | null;
  resume: ResumeDraft;
  onResumeText: (text: string, filename: string | null) => void;
  onResumeCheck: () => ResumeDraft;
  draft: RankDraft;
  onDraft: (draft: RankDraft) => void;
  template: string;
  onTemplate: (name: string) => void;
  provider: string;
  onProvider: (name: string) => void;
  /** The postings sent in each batch this page submitted, for "tailor this one". */
  sent: Record<string, PostingItem[]>;
  onSubmitted: (batch: BatchAccepted, postings: PostingItem[]) => void;
  onTailor: (posting: PostingItem) => void;
}

function readPostings(draft: RankDraft): { postings: PostingItem[]; errors: FieldError[] } {
  if (draft.jsonl) {
    const parsed = parseJsonl(draft.jsonl.text, draft.jsonl.name);
    return parsed.ok ? { postings: parsed.postings, errors: [] } : { postings: [], errors: parsed.errors };
  }
  return { postings: splitPostings(draft.text), errors: [] };
}

export function RankView(props: Props) {
  const { meta, draft } = props;
  const [webhook, setWebhook] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const keys = useRef(new SubmitKeys());
  const read = readPostings(draft);

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    const text = await file.text();
    setErrors([]);
    if (file.name.toLowerCase().endsWith(".jsonl")) props.onDraft({ ...draft, jsonl: { name: file.name, text } });
    else props.onDraft({ text, jsonl: null });
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const checked = props.onResumeCheck();
    const problems = read.errors.length
      ? read.errors
      : checkPostings(read.postings, meta.max_batch_items, meta.max_posting_chars);
    const url = webhook.trim();
    if (url && !/^https?:\/\//i.test(url)) problems.push({ field: "webhook_url", message: "must be an http(s) URL" });
    setErrors(problems);
    if (checked.errors.length || problems.length) {
      const target = checked.errors.length ? "rank-resume-text" : draft.jsonl ? "rank-postings-file" : "rank-postings-text";
      document.getElementById(target)?.focus();
      return;
    }
    const body = {
      resume: checkResume(checked.text, checked.filename).resume,
      postings: read.postings.map((p) => ({ label: p.label, posting: p.text })),
      template: props.template,
      provider: props.provider,
      ...(url ? { webhook_url: url } : {}),
    };
    setBusy(true);
    try {
      const batch = await request<BatchAccepted>("POST", "/v1/batches", { body, idempotencyKey: keys.current.keyFor(body) });
      props.onSubmitted(batch, read.postings);
    } catch (error) {
      if (error instanceof ApiError) {
        setMessage(error.message);
        setErrors(error.fieldErrors);
      } else {
        setMessage(`Could not reach the API: ${String(error)}. Submitting again is safe.`);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <form onSubmit={onSubmit} noValidate aria-labelledby="rank-heading">
        <h1 id="rank-heading">Rank postings for one resume</h1>
        <p className="lead">Which of many postings fits this resume best, and what each one finds missing.</p>
        <ResumeInput idPrefix="rank" draft={props.resume} onText={props.onResumeText} onCheck={() => props.onResumeCheck()} />
        <fieldset className="card">
          <legend>Postings</legend>
          <div className="field">
            <label htmlFor="rank-postings-file">Load a JSONL file of {"{id, text}"}, or a text file</label>
            <input id="rank-postings-file" type="file" accept=".jsonl,.txt,.md,application/jsonl,text/plain" onChange={onFile} />
          </div>
          {draft.jsonl ? (
            <button type="button" onClick={() => props.onDraft({ ...draft, jsonl: null })}>
              Paste postings instead of {draft.jsonl.name}
            </button>
          ) : (
            <div className="field">
              <label htmlFor="rank-postings-text">Or paste them, separated by a line of three dashes (---)</label>
              <textarea
                id="rank-postings-text"
                rows={10}
                value={draft.text}
                aria-describedby="rank-postings-count rank-errors"
                onChange={(event) => props.onDraft({ text: event.target.value, jsonl: null })}
              />
            </div>
          )}
          <p id="rank-postings-count" className="status" aria-live="polite">
            {read.postings.length} posting{read.postings.length === 1 ? "" : "s"}
            {draft.jsonl ? ` from ${draft.jsonl.name}` : ""} (at most {meta.max_batch_items})
          </p>
        </fieldset>
        <fieldset className="card">
          <legend>Options</legend>
          <div className="field">
            <label htmlFor="rank-template">Template (each posting is tailored too)</label>
            <select id="rank-template" value={props.template} onChange={(e) => props.onTemplate(e.target.value)}>
              {meta.templates.map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
          <ProviderSelect id="rank-provider" providers={meta.providers} value={props.provider} onChange={props.onProvider} />
          <div className="field">
            <label htmlFor="rank-webhook">Webhook URL (optional)</label>
            <input
              id="rank-webhook"
              type="url"
              inputMode="url"
              value={webhook}
              placeholder="https://example.com/hooks/resume-tailor"
              aria-describedby="rank-webhook-note"
              onChange={(event) => setWebhook(event.target.value)}
            />
            <span id="rank-webhook-note" className="note">
              Sent one signed event (Standard Webhooks) when the whole batch is done.
            </span>
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Submitting…" : `Rank ${read.postings.length || ""} postings`.replace("  ", " ")}
          </button>
        </div>
        {message && (
          <p className="error-text" role="alert">
            {message}
          </p>
        )}
        <FieldErrors id="rank-errors" errors={errors} />
      </form>
      {props.batchId && (
        <BatchPanel key={props.batchId} id={props.batchId} postings={props.sent[props.batchId] ?? null} onTailor={props.onTailor} />
      )}
    </div>
  );
}
