// A master resume from a file or a paste: JSON, or YAML (a superset of JSON). YAML is read
// with the 1.2 core schema, so `startDate: 2021-03` stays the string the schema wants.
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { FieldError } from "./types";

export type Parsed = { ok: true; resume: unknown } | { ok: false; error: FieldError };

export const MAX_RESUME_BYTES = 1024 * 1024;

function looksLikeJson(text: string, filename?: string): boolean {
  if (filename) return filename.toLowerCase().endsWith(".json");
  return text.trimStart().startsWith("{") || text.trimStart().startsWith("[");
}

function jsonPosition(text: string, error: SyntaxError): string {
  // V8 says "... at position 123" (and sometimes line/column): turn the offset into a line.
  const offset = /position (\d+)/.exec(error.message);
  if (!offset) return error.message;
  const before = text.slice(0, Number(offset[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${error.message.replace(/ in JSON at position \d+.*$/, "")} (line ${line}, column ${column})`;
}

const DATE_KEYS = new Set(["startDate", "endDate", "date", "releaseDate"]);

/** YAML reads `startDate: 2019` as a number; the schema wants "2019" (as the CLI reads it). */
function yearsAsStrings(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(yearsAsStrings);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      DATE_KEYS.has(key) && Number.isInteger(value) ? String(value) : yearsAsStrings(value),
    ]),
  );
}

export function parseResumeText(text: string, filename?: string): Parsed {
  const field = filename ? `resume (${filename})` : "resume";
  if (!text.trim()) return { ok: false, error: { field, message: "is empty" } };
  if (new TextEncoder().encode(text).length > MAX_RESUME_BYTES) {
    return { ok: false, error: { field, message: `larger than ${MAX_RESUME_BYTES / 1024} KiB` } };
  }
  if (looksLikeJson(text, filename)) {
    try {
      return { ok: true, resume: JSON.parse(text) };
    } catch (error) {
      return { ok: false, error: { field, message: `not valid JSON: ${jsonPosition(text, error as SyntaxError)}` } };
    }
  }
  try {
    return { ok: true, resume: yearsAsStrings(parseYaml(text, { schema: "core", uniqueKeys: true })) };
  } catch (error) {
    const reason =
      error instanceof YAMLParseError && error.linePos
        ? `${error.code} at line ${error.linePos[0].line}, column ${error.linePos[0].col}`
        : String(error);
    return { ok: false, error: { field, message: `not valid YAML: ${reason}` } };
  }
}
