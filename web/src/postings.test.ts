import { describe, expect, it } from "vitest";
import { checkPostings, parseJsonl, splitPostings } from "./postings";

describe("splitPostings", () => {
  it("splits on lines of three dashes and skips blank chunks", () => {
    const text = "Backend Engineer\nPython\n---\nData Engineer\n  ---  \n\n---\nSRE\n---\n";
    expect(splitPostings(text)).toEqual([
      { label: "posting 1", text: "Backend Engineer\nPython" },
      { label: "posting 2", text: "Data Engineer" },
      { label: "posting 3", text: "SRE" },
    ]);
  });

  it("keeps dashes inside a line", () => {
    expect(splitPostings("a --- b\n----\nc")).toHaveLength(1);
  });
});

describe("parseJsonl", () => {
  it("reads {id, text} rows, numbers as ids", () => {
    const parsed = parseJsonl('{"id": "a", "text": "one"}\n\n{"id": 7, "text": "two"}\n');
    expect(parsed).toEqual({
      ok: true,
      postings: [
        { label: "a", text: "one" },
        { label: "7", text: "two" },
      ],
    });
  });

  it("names the line and field of every problem", () => {
    const parsed = parseJsonl('{"id": "a", "text": ""}\nnot json\n{"text": "x"}\n{"id": "b", "text": "x"}\n{"id": "b", "text": "y"}', "p.jsonl");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      { field: "p.jsonl line 1.text", message: "must be a non-empty string" },
      { field: "p.jsonl line 2", message: "not a JSON object" },
      { field: "p.jsonl line 3.id", message: "must be a string or a number" },
      { field: "p.jsonl line 5.id", message: "repeats the id of line 4" },
    ]);
  });

  it("refuses a file with no postings", () => {
    expect(parseJsonl("\n\n")).toEqual({ ok: false, errors: [{ field: "postings.jsonl", message: "holds no postings" }] });
  });
});

describe("checkPostings", () => {
  it("holds the API's limits", () => {
    const many = Array.from({ length: 3 }, (_, i) => ({ label: `p${i}`, text: "x".repeat(i * 10) }));
    expect(checkPostings(many, 2, 15)).toEqual([
      { field: "postings", message: "3 postings; at most 2 per batch" },
      { field: "postings[2]", message: "longer than 15 characters" },
    ]);
    expect(checkPostings([], 2, 15)).toEqual([{ field: "postings", message: "give at least one posting" }]);
  });
});
