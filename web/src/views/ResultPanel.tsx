import type { Job, JobReport } from "../types";

const DOWNLOADS: { name: string; text: string }[] = [
  { name: "resume.pdf", text: "PDF" },
  { name: "resume.tex", text: "LaTeX source (.tex)" },
  { name: "tailored.json", text: "Tailored JSON Resume" },
  { name: "report.json", text: "Full report (JSON)" },
];

// Edits that change a line's words; "selected" and "reordered" keep them as written.
const REWORDED = new Set(["terminology", "rewritten", "summary"]);

function Reworded({ report }: { report: JobReport }) {
  const lines = report.lines.filter((line) => REWORDED.has(line.edit));
  const kept = report.lines.length - lines.length;
  return (
    <section aria-labelledby="reworded-heading">
      <h3 id="reworded-heading">What was reworded</h3>
      <p>
        {lines.length} line{lines.length === 1 ? "" : "s"} reworded; {kept} kept as written (chosen and ordered by
        relevance).
      </p>
      {lines.length > 0 && (
        <div className="table-wrap" role="region" aria-label="Reworded lines" tabIndex={0}>
          <table className="lines">
            <thead>
              <tr>
                <th scope="col">Your line</th>
                <th scope="col">Tailored line</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.output_path}>
                  <td>
                    {Object.entries(line.sources).map(([path, text]) => (
                      <div key={path}>
                        <code>{path}</code> {text ?? <span className="note">(not a line of text)</span>}
                      </div>
                    ))}
                    {Object.keys(line.sources).length === 0 && <span className="note">no single source</span>}
                  </td>
                  <td>
                    <code>{line.output_path}</code> {line.text}
                  </td>
                  <td>
                    {line.edit}
                    {line.detail ? `: ${line.detail}` : ""}
                    {line.provider !== "local" ? ` (${line.provider})` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function LeftOut({ report }: { report: JobReport }) {
  return (
    <section aria-labelledby="left-out-heading">
      <h3 id="left-out-heading">What was left out, and why</h3>
      {report.left_out.length === 0 ? (
        <p>Nothing: every line of your resume is in the PDF.</p>
      ) : (
        <ul className="left-out">
          {report.left_out.map((item) => (
            <li key={`${item.stage}:${item.path}`}>
              <code>{item.path}</code> {item.text ?? ""} <span className="note">
                — {item.reason}
                {item.relevance !== null && !item.reason.includes("relevance")
                  ? ` (relevance ${item.relevance.toFixed(2)})`
                  : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Rejections({ report }: { report: JobReport }) {
  return (
    <section aria-labelledby="rejections-heading">
      <h3 id="rejections-heading">Truthfulness guard</h3>
      {report.rejections.length === 0 ? (
        <p>No line was rejected: nothing proposed added a skill, employer, title, date or number.</p>
      ) : (
        <ul className="rejections">
          {report.rejections.map((rejection, index) => (
            <li key={`${rejection.output_path}-${index}`}>
              <code>{rejection.output_path}</code> “{rejection.proposed}” was rejected ({rejection.reason}, from{" "}
              {rejection.provider}); the source line stands instead.
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The PDF in the page, the downloads, and what changed. */
export function ResultPanel({ job, report }: { job: Job; report: JobReport | null }) {
  if (job.state !== "succeeded") return null;
  const artifacts = job.artifacts ?? {};
  return (
    <section className="card" aria-labelledby="result-heading">
      <h2 id="result-heading">Your tailored resume</h2>
      {report?.compile && (
        <p className="note">
          {report.compile.pages} page, template {report.compile.template}, {report.compile.compiles} TeX run
          {report.compile.compiles === 1 ? "" : "s"}
          {report.compile.adjustments.length ? `, ${report.compile.adjustments.join(", ")}` : ""}.
        </p>
      )}
      <ul className="downloads" aria-label="Downloads">
        {DOWNLOADS.filter((d) => artifacts[d.name]).map((d) => (
          <li key={d.name}>
            <a href={artifacts[d.name]} download={d.name} data-artifact={d.name}>
              {d.text} <span className="note">({d.name})</span>
            </a>
          </li>
        ))}
      </ul>
      {report?.pdf_url && (
        <iframe className="pdf" src={report.pdf_url} title="The tailored resume (PDF)" />
      )}
      {report && (
        <>
          <Reworded report={report} />
          <LeftOut report={report} />
          <Rejections report={report} />
        </>
      )}
    </section>
  );
}
