// The master resume checked in the browser against the same JSON Resume schema the API uses
// (pipeline/schema/jsonresume.schema.json, bundled at build time), plus the API's one rule the
// schema's pattern cannot say (a month or day out of range), with errors named by path in the
// API's style: `work[2].startDate`.
import Ajv, { type ErrorObject } from "ajv";
import schema from "../../pipeline/schema/jsonresume.schema.json";
import type { FieldError } from "./types";

// Formats (uri, email) are not checked, as the API does not check them either.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validateSchema = ajv.compile(schema);

export const DATE_MESSAGE = "not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)";

/** `/work/2/startDate` (a JSON pointer) → `work[2].startDate`. */
export function pointerToPath(pointer: string): string {
  if (!pointer) return "";
  let out = "";
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

function message(error: ErrorObject): string {
  if (error.keyword === "pattern" && error.schemaPath.includes("iso8601")) return DATE_MESSAGE;
  if (error.keyword === "type") return `must be ${String(error.params.type)}`;
  return error.message ?? "invalid";
}

// Where the schema's partial ISO 8601 dates stand.
const DATE_FIELDS: Record<string, string[]> = {
  work: ["startDate", "endDate"],
  volunteer: ["startDate", "endDate"],
  education: ["startDate", "endDate"],
  projects: ["startDate", "endDate"],
  awards: ["date"],
  certificates: ["date"],
  publications: ["releaseDate"],
};

const ISO_DATE = /^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})$/;

/** The API's reading of a date the pattern lets through: 2021-13 or 2021-02-00 are refused. */
export function dateProblem(value: string): string | null {
  if (!ISO_DATE.test(value)) return DATE_MESSAGE;
  const month = value.length >= 7 ? Number(value.slice(5, 7)) : 1;
  const day = value.length === 10 ? Number(value.slice(8, 10)) : 1;
  if (month < 1 || month > 12 || day < 1 || day > 31) return "not a date (month or day out of range)";
  return null;
}

function rangeErrors(resume: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const [section, fields] of Object.entries(DATE_FIELDS)) {
    const items = resume[section];
    if (!Array.isArray(items)) continue;
    items.forEach((item, index) => {
      if (typeof item !== "object" || item === null) return;
      for (const field of fields) {
        const value = (item as Record<string, unknown>)[field];
        if (typeof value !== "string" || !ISO_DATE.test(value)) continue; // the schema's to say
        const problem = dateProblem(value);
        if (problem) errors.push({ field: `${section}[${index}].${field}`, message: problem });
      }
    });
  }
  return errors;
}

/** Every problem with `resume`, one per field, in document order; empty when it is valid. */
export function resumeErrors(resume: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  if (!validateSchema(resume)) {
    for (const error of validateSchema.errors ?? []) {
      const field = pointerToPath(error.instancePath) || "(root)";
      if (seen.has(field)) continue; // one message per field is enough to fix it
      seen.add(field);
      errors.push({ field, message: message(error) });
    }
  }
  if (typeof resume === "object" && resume !== null && !Array.isArray(resume)) {
    for (const error of rangeErrors(resume as Record<string, unknown>)) {
      if (!seen.has(error.field)) errors.push(error);
    }
  }
  return errors;
}
