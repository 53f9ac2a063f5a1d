// Many postings for a ranking: pasted text separated by lines of `---`, or a JSONL file of
// {"id", "text"} (what `resume-tailor rank` reads). Errors name the line and the field.
import type { FieldError } from "./types";

export interface PostingItem {
  label: string;
  text: string;
}

export type PostingsResult = { ok: true; postings: PostingItem[] } | { ok: false; errors: FieldError[] };

const SEPARATOR = /^\s*---\s*$/;
export const MAX_LABEL = 255;

/** Pasted postings: chunks between `---` lines; blank chunks (a trailing `---`) are skipped. */
export function splitPostings(text: string): PostingItem[] {
  const chunks: string[][] = [[]];
  for (const line of text.split(/\r?\n/)) {
    if (SEPARATOR.test(line)) chunks.push([]);
    else chunks[chunks.length - 1].push(line);
  }
  return chunks
    .map((lines) => lines.join("\n").trim())
    .filter((chunk) => chunk.length > 0)
    .map((chunk, index) => ({ label: `posting ${index + 1}`, text: chunk }));
}

export function parseJsonl(text: string, source = "postings.jsonl"): PostingsResult {
  const postings: PostingItem[] = [];
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    const where = `${source} line ${index + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      errors.push({ field: where, message: "not a JSON object" });
      return;
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      errors.push({ field: where, message: "not a JSON object" });
      return;
    }
    const { id, text: body } = row as Record<string, unknown>;
    if (typeof id !== "string" && typeof id !== "number") {
      errors.push({ field: `${where}.id`, message: "must be a string or a number" });
      return;
    }
    const label = String(id);
    if (!label.trim() || label.length > MAX_LABEL) {
      errors.push({ field: `${where}.id`, message: `must be 1 to ${MAX_LABEL} characters` });
      return;
    }
    if (typeof body !== "string" || !body.trim()) {
      errors.push({ field: `${where}.text`, message: "must be a non-empty string" });
      return;
    }
    const first = seen.get(label);
    if (first !== undefined) {
      errors.push({ field: `${where}.id`, message: `repeats the id of line ${first}` });
      return;
    }
    seen.set(label, index + 1);
    postings.push({ label, text: body });
  });
  if (errors.length) return { ok: false, errors };
  if (!postings.length) return { ok: false, errors: [{ field: source, message: "holds no postings" }] };
  return { ok: true, postings };
}

/** Limits the API checks too, said before anything is sent. */
export function checkPostings(postings: PostingItem[], maxItems: number, maxChars: number): FieldError[] {
  const errors: FieldError[] = [];
  if (!postings.length) errors.push({ field: "postings", message: "give at least one posting" });
  if (postings.length > maxItems) {
    errors.push({ field: "postings", message: `${postings.length} postings; at most ${maxItems} per batch` });
  }
  postings.forEach((posting, index) => {
    if (posting.text.length > maxChars) {
      errors.push({ field: `postings[${index}]`, message: `longer than ${maxChars} characters` });
    }
  });
  return errors;
}
