import { percent } from "../format";
import { countStates, type SkillRow, skillRows, STATE_TEXT } from "../skills";
import type { Job, JobReport, MatchReport, SkillState } from "../types";

function Rate({ label, value, note }: { label: string; value: number | null | undefined; note: string }) {
  const shown = value ?? 0;
  return (
    <div className="rate">
      <span className="rate-label">{label}</span>
      <span className="rate-value">{percent(value)}</span>
      <span className="bar" aria-hidden="true">
        <span style={{ width: `${Math.round(shown * 100)}%` }} />
      </span>
      <span className="note">{note}</span>
    </div>
  );
}

function StateBadge({ state }: { state: SkillState | null }) {
  if (!state) return <span className="note">–</span>;
  return <span className={`badge state-${state}`}>{STATE_TEXT[state]}</span>;
}

function Evidence({ row }: { row: SkillRow }) {
  const evidence = row.skill.evidence;
  const alternative = row.skill.covered_by ? (
    <p className="note">the posting takes {row.skill.covered_by} in its place, which the resume shows</p>
  ) : null;
  if (!evidence.length) return alternative ?? <span className="note">nowhere in the resume</span>;
  return (
    <>
    {alternative}
    <ul className="evidence">
      {evidence.slice(0, 4).map((item) => (
        <li key={item.path}>
          <code>{item.path}</code> “{item.text}”{item.surfaced ? "" : " (not where a reader looks)"}
        </li>
      ))}
      {evidence.length > 4 && <li className="note">and {evidence.length - 4} more</li>}
    </ul>
    </>
  );
}

function SkillsTable({ before, after }: { before: MatchReport; after: MatchReport | null }) {
  const rows = skillRows(before, after);
  const counts = countStates(after ?? before);
  return (
    <>
      <p>
        Of {rows.length} skills the posting asks for, the {after ? "tailored" : "submitted"} resume shows{" "}
        <strong>{counts.shown}</strong>, evidences <strong>{counts.evidenced}</strong> without showing them, and lacks{" "}
        <strong>{counts.absent}</strong>
        {counts.covered > 0 && (
          <>
            ; for <strong>{counts.covered}</strong> it shows an alternative the posting takes
          </>
        )}
        .
      </p>
      <div className="table-wrap" role="region" aria-label="Skills the posting asks for" tabIndex={0}>
        <table className="skills">
          <thead>
            <tr>
              <th scope="col">Skill</th>
              <th scope="col">Importance</th>
              <th scope="col">As written</th>
              {after && <th scope="col">Tailored</th>}
              <th scope="col">Where the resume evidences it</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.skill.name} data-skill={row.skill.name}>
                <th scope="row">
                  {row.skill.name}
                  <span className="note">
                    {" "}
                    {row.skill.kind} · {row.skill.required ? "required" : "preferred"}
                  </span>
                </th>
                <td>
                  <span className="importance">
                    <span className="bar" aria-hidden="true">
                      <span style={{ width: `${Math.round(row.skill.importance * 100)}%` }} />
                    </span>
                    {percent(row.skill.importance)}
                  </span>
                </td>
                <td>
                  <StateBadge state={row.before} />
                </td>
                {after && (
                  <td>
                    <StateBadge state={row.after} />
                  </td>
                )}
                <td>
                  <Evidence row={row} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The match: rates, the posting's tone and values, and every skill with its state. */
export function MatchPanel({ job, report }: { job: Job; report: JobReport | null }) {
  const before = report?.before ?? null;
  const after = report?.after ?? null;
  const summary = job.match;
  if (!before && !summary) return null;
  const posting = report?.posting;
  return (
    <section className="card" aria-labelledby="match-heading">
      <h2 id="match-heading">The match</h2>
      {posting && (
        <dl className="posting-facts">
          <dt>Posting</dt>
          <dd>
            {posting.title ?? "untitled"}
            {posting.company ? ` at ${posting.company}` : ""}
            {posting.seniority ? ` (${posting.seniority})` : ""}
          </dd>
          <dt>Tone</dt>
          <dd>{posting.culture.tone}</dd>
          <dt>Values</dt>
          <dd>{posting.culture.values.length ? posting.culture.values.join(", ") : "none stated"}</dd>
        </dl>
      )}
      <div className="rates">
        <Rate label="As written" value={before?.match_rate ?? summary?.match_rate_before} note="your resume as submitted" />
        <Rate
          label="Tailored"
          value={after?.match_rate ?? summary?.match_rate_after}
          note={after || summary?.match_rate_after != null ? "the one-page PDF" : "once compiled"}
        />
        {before && (
          <Rate
            label="Honest ceiling"
            value={before.ceiling}
            note="reachable by surfacing what the resume already evidences; the rest it lacks"
          />
        )}
      </div>
      {before ? (
        <SkillsTable before={before} after={after} />
      ) : (
        summary && (
          <p>
            Matched: {summary.matched.join(", ") || "none"}. Missing: {summary.missing.join(", ") || "none"}.
          </p>
        )
      )}
    </section>
  );
}
