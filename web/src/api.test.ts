import { describe, expect, it } from "vitest";
import { apiKey, asProblem, newIdempotencyKey, setApiKey, SubmitKeys } from "./api";
import { parseRoute, routeHash } from "./route";

describe("asProblem", () => {
  it("reads problem+json and keeps only well-formed field errors", () => {
    const problem = asProblem({
      type: "/problems/validation-error",
      title: "Invalid request",
      status: 422,
      detail: "resume.work[0].startDate: not a date",
      errors: [{ field: "resume.work[0].startDate", message: "not a date" }, { field: 3 }],
    });
    expect(problem?.errors).toEqual([{ field: "resume.work[0].startDate", message: "not a date" }]);
    expect(asProblem({ detail: "no title" })).toBeNull();
    expect(asProblem("text")).toBeNull();
  });
});

describe("SubmitKeys", () => {
  it("reuses a key for the same body and makes a new one for another", () => {
    const keys = new SubmitKeys();
    const first = keys.keyFor({ posting: "a" });
    expect(keys.keyFor({ posting: "a" })).toBe(first);
    expect(keys.keyFor({ posting: "b" })).not.toBe(first);
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f-]{32,36}$/);
  });
});

describe("the API key", () => {
  it("lives in sessionStorage and is removed when cleared", () => {
    setApiKey("k-123");
    expect(apiKey()).toBe("k-123");
    expect(sessionStorage.getItem("resume-tailor.api-key")).toBe("k-123");
    setApiKey("");
    expect(apiKey()).toBe("");
  });
});

describe("routes", () => {
  it("round-trips every view and falls back to the form", () => {
    const id = "6f1c2a3b-0000-4000-8000-000000000001";
    for (const route of [{ view: "tailor" }, { view: "job", id }, { view: "rank", batchId: null }, { view: "rank", batchId: id }] as const) {
      expect(parseRoute(routeHash(route))).toEqual(route);
    }
    expect(parseRoute("#/jobs/not-an-id")).toEqual({ view: "tailor" });
    expect(parseRoute("")).toEqual({ view: "tailor" });
  });
});
