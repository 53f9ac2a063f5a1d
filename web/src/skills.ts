// Each skill the posting asks for is shown (named where a reader and an ATS see it),
// evidenced (the resume holds it, but not where it counts), absent, or covered (the posting
// takes an alternative the resume shows: "Power BI or Tableau"). The API is gaining a
// `state` per skill; until it sends one, the same three states follow from what it sends
// today: `matched` is "shown", evidence without a match is "evidenced".
import type { MatchReport, SkillMatch, SkillState } from "./types";

const STATES: ReadonlySet<string> = new Set(["shown", "evidenced", "absent", "covered"]);

export function skillState(skill: SkillMatch): SkillState {
  if (skill.state && STATES.has(skill.state)) return skill.state;
  if (skill.matched) return "shown";
  return skill.evidence.length > 0 ? "evidenced" : "absent";
}

export const STATE_TEXT: Record<SkillState, string> = {
  shown: "Shown",
  evidenced: "Evidenced, not shown",
  absent: "Absent",
  covered: "Alternative shown",
};

export interface SkillRow {
  skill: SkillMatch;
  before: SkillState;
  after: SkillState | null;
}

/** The posting's skills by importance, with their state as written and, once tailored, after. */
export function skillRows(before: MatchReport, after: MatchReport | null): SkillRow[] {
  const later = new Map((after?.skills ?? []).map((s) => [s.name, s]));
  return [...before.skills]
    .sort((a, b) => b.importance - a.importance)
    .map((skill) => {
      const tailored = later.get(skill.name);
      return { skill, before: skillState(skill), after: tailored ? skillState(tailored) : null };
    });
}

export function countStates(report: MatchReport): Record<SkillState, number> {
  const counts: Record<SkillState, number> = { shown: 0, evidenced: 0, absent: 0, covered: 0 };
  for (const skill of report.skills) counts[skillState(skill)] += 1;
  return counts;
}
