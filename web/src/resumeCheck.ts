// Parse + schema check of a master resume, and a one-line summary of what was loaded.
import { parseResumeText } from "./resumeText";
import type { FieldError } from "./types";
import { resumeErrors } from "./validate";

export interface ResumeCheck {
  resume: Record<string, unknown> | null; // null unless it is valid
  errors: FieldError[];
  summary: string | null;
}

function count(value: unknown, what: string): string | null {
  return Array.isArray(value) && value.length ? `${value.length} ${what}${value.length === 1 ? "" : "s"}` : null;
}

export function checkResume(text: string, filename: string | null): ResumeCheck {
  const parsed = parseResumeText(text, filename ?? undefined);
  if (!parsed.ok) return { resume: null, errors: [parsed.error], summary: null };
  const errors = resumeErrors(parsed.resume);
  if (errors.length) return { resume: null, errors, summary: null };
  const resume = parsed.resume as Record<string, unknown>;
  const basics = (resume.basics ?? {}) as Record<string, unknown>;
  const parts = [
    typeof basics.name === "string" && basics.name ? basics.name : "no name",
    count(resume.work, "job"),
    count(resume.skills, "skill group"),
  ].filter(Boolean);
  return { resume, errors: [], summary: `${filename ? `${filename}: ` : ""}${parts.join(", ")}` };
}
