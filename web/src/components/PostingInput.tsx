import type { ChangeEvent } from "react";
import { FieldErrors } from "./FieldErrors";
import type { FieldError } from "../types";

interface Props {
  text: string;
  notice: string | null;
  errors: FieldError[];
  onText: (text: string, filename: string | null) => void;
}

/** The job posting: pasted, or a .md/.txt/.html file (the API reduces HTML to text). */
export function PostingInput({ text, notice, errors, onText }: Props) {
  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) onText(await file.text(), file.name);
  }
  return (
    <fieldset className="card">
      <legend>Job posting</legend>
      <div className="field">
        <label htmlFor="posting-file">Load a file (.md, .txt, .html)</label>
        <input id="posting-file" type="file" accept=".md,.markdown,.txt,.html,.htm,text/plain,text/markdown,text/html" onChange={onFile} />
      </div>
      <div className="field">
        <label htmlFor="posting-text">Or paste it</label>
        <textarea
          id="posting-text"
          rows={8}
          value={text}
          aria-invalid={errors.length > 0}
          aria-describedby="posting-notice posting-errors"
          onChange={(event) => onText(event.target.value, null)}
        />
      </div>
      <p id="posting-notice" className="status" aria-live="polite">
        {notice ?? ""}
      </p>
      <FieldErrors id="posting-errors" errors={errors} />
    </fieldset>
  );
}
