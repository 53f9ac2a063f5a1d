// The one place that talks to the API: same origin, JSON in and out, the API key from
// sessionStorage as `X-API-Key`, and problem+json errors turned into ApiError.
import type { FieldError, Problem } from "./types";

const KEY_STORAGE = "resume-tailor.api-key";

export function apiKey(): string {
  try {
    return sessionStorage.getItem(KEY_STORAGE) ?? "";
  } catch {
    return ""; // storage disabled: no key
  }
}

export function setApiKey(value: string): void {
  try {
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // storage disabled: the key lives only as long as the field shows it
  }
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null, fallback: string) {
    super(problem ? problemText(problem) : fallback);
    this.status = status;
    this.problem = problem;
  }

  get fieldErrors(): FieldError[] {
    return this.problem?.errors ?? [];
  }
}

export function problemText(problem: Problem): string {
  return problem.detail ? `${problem.title}: ${problem.detail}` : problem.title;
}

/** A problem+json body, or null when the body is something else. */
export function asProblem(body: unknown): Problem | null {
  if (typeof body !== "object" || body === null) return null;
  const candidate = body as Record<string, unknown>;
  if (typeof candidate.title !== "string" || typeof candidate.status !== "number") return null;
  const errors = Array.isArray(candidate.errors)
    ? candidate.errors.filter(
        (e): e is FieldError =>
          typeof e === "object" && e !== null && typeof e.field === "string" && typeof e.message === "string",
      )
    : undefined;
  return {
    type: typeof candidate.type === "string" ? candidate.type : undefined,
    title: candidate.title,
    status: candidate.status,
    detail: typeof candidate.detail === "string" ? candidate.detail : undefined,
    errors,
  };
}

export interface RequestOptions {
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const key = apiKey();
  if (key) headers["X-API-Key"] = key;
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
  let payload: string | undefined;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(options.body);
  }
  const response = await fetch(path, { method, headers, body: payload, signal: options.signal });
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, asProblem(parsed), `${method} ${path}: HTTP ${response.status}`);
  }
  return parsed as T;
}

/** A fresh Idempotency-Key. crypto.randomUUID needs a secure context; getRandomValues does not. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function" && globalThis.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The key for a submit: the same body submitted again (a double click, a retry after a
 * dropped connection) reuses its key, so the API answers with the job it already made.
 */
export class SubmitKeys {
  private last: { body: string; key: string } | null = null;

  keyFor(body: unknown): string {
    const text = JSON.stringify(body);
    if (this.last?.body !== text) this.last = { body: text, key: newIdempotencyKey() };
    return this.last.key;
  }
}
