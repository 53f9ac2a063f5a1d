import { describe, expect, it } from "vitest";
import { countStates, skillRows, skillState } from "./skills";
import type { MatchReport, SkillMatch } from "./types";

function skill(name: string, matched: boolean, paths: string[], extra: Partial<SkillMatch> = {}): SkillMatch {
  return {
    name,
    kind: "hard",
    importance: 0.5,
    required: true,
    matched,
    evidence: paths.map((path) => ({ path, text: name, surfaced: matched })),
    resume_forms: [],
    ...extra,
  };
}

function report(skills: SkillMatch[]): MatchReport {
  return { match_rate: 0.5, ceiling: 0.7, breakdown: [], skills, title_match: false, resume_title: null, resume_years: null, resume_education: null };
}

describe("skillState", () => {
  it("follows from matched and evidence while the API sends no state", () => {
    expect(skillState(skill("Python", true, ["skills[0].keywords[0]"]))).toBe("shown");
    expect(skillState(skill("Go", false, ["projects[1].description"]))).toBe("evidenced");
    expect(skillState(skill("Rust", false, []))).toBe("absent");
  });

  it("takes the API's state when it sends one", () => {
    expect(skillState(skill("Go", true, ["work[0].summary"], { state: "evidenced" }))).toBe("evidenced");
    expect(skillState(skill("Go", false, [], { state: null }))).toBe("absent");
    expect(skillState(skill("Power BI", false, [], { state: "covered", covered_by: "Tableau" }))).toBe("covered");
  });
});

describe("skillRows", () => {
  it("orders by importance and pairs each skill with its state after tailoring", () => {
    const before = report([
      skill("Go", false, ["projects[0].description"], { importance: 0.4 }),
      skill("Python", true, ["skills[0].keywords[0]"], { importance: 0.9 }),
    ]);
    const after = report([skill("Go", true, ["skills[0].keywords[1]"]), skill("Python", true, ["skills[0].keywords[0]"])]);
    expect(skillRows(before, after).map((r) => [r.skill.name, r.before, r.after])).toEqual([
      ["Python", "shown", "shown"],
      ["Go", "evidenced", "shown"],
    ]);
    expect(skillRows(before, null)[1].after).toBeNull();
    expect(countStates(before)).toEqual({ shown: 1, evidenced: 1, absent: 0, covered: 0 });
  });
});
