import type { ChangeEvent } from "react";
import { FieldErrors } from "./FieldErrors";
import type { FieldError } from "../types";

export interface ResumeDraft {
  text: string;
  filename: string | null;
  errors: FieldError[];
  summary: string | null; // "Ada Lovelace, 4 jobs, 12 skills" once it validated
}

export const EMPTY_RESUME: ResumeDraft = { text: "", filename: null, errors: [], summary: null };

interface Props {
  idPrefix: string;
  draft: ResumeDraft;
  onText: (text: string, filename: string | null) => void;
  onCheck: () => void;
}

/** A master resume from a .json/.yaml file or a paste; checked as soon as it is loaded. */
export function ResumeInput({ idPrefix, draft, onText, onCheck }: Props) {
  const fileId = `${idPrefix}-resume-file`;
  const textId = `${idPrefix}-resume-text`;
  const errorsId = `${idPrefix}-resume-errors`;
  const statusId = `${idPrefix}-resume-status`;

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    onText(await file.text(), file.name);
  }

  return (
    <fieldset className="card">
      <legend>Master resume</legend>
      <p className="note">
        A <a href="https://jsonresume.org/schema">JSON Resume</a> in JSON or YAML, with every job, bullet and skill you
        have. It is checked here against the JSON Resume schema before anything is sent.
      </p>
      <div className="field">
        <label htmlFor={fileId}>Load a file (.json, .yaml)</label>
        <input id={fileId} type="file" accept=".json,.yaml,.yml,application/json" onChange={onFile} />
      </div>
      <div className="field">
        <label htmlFor={textId}>Or paste it</label>
        <textarea
          id={textId}
          rows={8}
          spellCheck={false}
          value={draft.text}
          aria-invalid={draft.errors.length > 0}
          aria-describedby={`${statusId} ${errorsId}`}
          onChange={(event) => onText(event.target.value, null)}
          onBlur={onCheck}
        />
      </div>
      <p id={statusId} className="status" aria-live="polite">
        {draft.summary && !draft.errors.length ? `✓ ${draft.summary}` : ""}
      </p>
      <FieldErrors id={errorsId} errors={draft.errors} title={draft.errors.length ? "Fix the resume first:" : undefined} />
    </fieldset>
  );
}
