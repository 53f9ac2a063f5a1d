import { type FormEvent, useRef, useState } from "react";
import { ApiError, request, SubmitKeys } from "../api";
import { FieldErrors } from "../components/FieldErrors";
import { PostingInput } from "../components/PostingInput";
import { type ResumeDraft, ResumeInput } from "../components/ResumeInput";
import { ProviderSelect, TemplatePicker } from "../components/TemplatePicker";
import { checkResume } from "../resumeCheck";
import type { FieldError, Job, Meta } from "../types";

export interface PostingDraft {
  text: string;
  notice: string | null; // where it came from: a file, a ranking's row
}

interface Props {
  meta: Meta;
  resume: ResumeDraft;
  onResumeText: (text: string, filename: string | null) => void;
  onResumeCheck: () => ResumeDraft;
  posting: PostingDraft;
  onPosting: (posting: PostingDraft) => void;
  template: string;
  onTemplate: (name: string) => void;
  provider: string;
  onProvider: (name: string) => void;
  onSubmitted: (job: Job) => void;
}

export function TailorView(props: Props) {
  const { meta, posting } = props;
  const [postingErrors, setPostingErrors] = useState<FieldError[]>([]);
  const [submitErrors, setSubmitErrors] = useState<FieldError[]>([]);
  const [submitMessage, setSubmitMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const keys = useRef(new SubmitKeys());

  function checkPosting(): FieldError[] {
    const errors: FieldError[] = [];
    if (!posting.text.trim()) errors.push({ field: "posting", message: "must not be empty" });
    else if (posting.text.length > meta.max_posting_chars) {
      errors.push({ field: "posting", message: `longer than ${meta.max_posting_chars} characters` });
    }
    setPostingErrors(errors);
    return errors;
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSubmitErrors([]);
    setSubmitMessage(null);
    const checked = props.onResumeCheck();
    const postingProblems = checkPosting();
    if (checked.errors.length || postingProblems.length) {
      // Nothing is sent: move the reader to the first problem.
      const target = checked.errors.length ? "tailor-resume-text" : "posting-text";
      document.getElementById(target)?.focus();
      return;
    }
    const resume = checkResume(checked.text, checked.filename).resume;
    const body = { resume, posting: posting.text, template: props.template, provider: props.provider };
    setBusy(true);
    try {
      const job = await request<Job>("POST", "/v1/jobs", { body, idempotencyKey: keys.current.keyFor(body) });
      props.onSubmitted(job);
    } catch (error) {
      if (error instanceof ApiError) {
        setSubmitMessage(error.message);
        setSubmitErrors(error.fieldErrors);
      } else {
        setSubmitMessage(`Could not reach the API: ${String(error)}. Submitting again is safe.`);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="tailor-heading">
      <h1 id="tailor-heading">Tailor your resume to a job</h1>
      <p className="lead">
        One page, readable by applicant tracking systems, and nothing invented: every line comes from your resume.
      </p>
      <ResumeInput
        idPrefix="tailor"
        draft={props.resume}
        onText={props.onResumeText}
        onCheck={() => props.onResumeCheck()}
      />
      <PostingInput
        text={posting.text}
        notice={posting.notice}
        errors={postingErrors}
        onText={(text, filename) => {
          setPostingErrors([]);
          props.onPosting({ text, notice: filename ? `Loaded ${filename}` : null });
        }}
      />
      <TemplatePicker templates={meta.templates} value={props.template} onChange={props.onTemplate} />
      <div className="card">
        <ProviderSelect id="tailor-provider" providers={meta.providers} value={props.provider} onChange={props.onProvider} />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Submitting…" : "Tailor"}
        </button>
      </div>
      {submitMessage && (
        <p className="error-text" role="alert">
          {submitMessage}
        </p>
      )}
      <FieldErrors id="tailor-submit-errors" errors={submitErrors} />
    </form>
  );
}
