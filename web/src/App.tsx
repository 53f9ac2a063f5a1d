import { useCallback, useEffect, useState } from "react";
import { request } from "./api";
import { ApiKeyField } from "./components/ApiKeyField";
import { EMPTY_RESUME, type ResumeDraft } from "./components/ResumeInput";
import type { PostingItem } from "./postings";
import { checkResume } from "./resumeCheck";
import { go, useRoute } from "./route";
import type { Job, Meta } from "./types";
import { JobView } from "./views/JobView";
import { type RankDraft, RankView } from "./views/RankView";
import { type PostingDraft, TailorView } from "./views/TailorView";

function useMeta(): { meta: Meta | null; problem: string | null } {
  const [meta, setMeta] = useState<Meta | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    request<Meta>("GET", "/v1/meta").then(setMeta, (error: unknown) =>
      setProblem(`The API did not answer (${error instanceof Error ? error.message : String(error)}).`),
    );
  }, []);
  return { meta, problem };
}

export function App() {
  const route = useRoute();
  const { meta, problem } = useMeta();
  // One master resume for both views: tailor one posting, or rank many.
  const [resume, setResume] = useState<ResumeDraft>(EMPTY_RESUME);
  const [posting, setPosting] = useState<PostingDraft>({ text: "", notice: null });
  const [rankDraft, setRankDraft] = useState<RankDraft>({ text: "", jsonl: null });
  const [template, setTemplate] = useState("classic");
  const [provider, setProvider] = useState("local");
  const [lastJob, setLastJob] = useState<Job | null>(null);
  const [sent, setSent] = useState<Record<string, PostingItem[]>>({});

  useEffect(() => {
    if (!meta) return;
    if (!meta.templates.some((t) => t.name === template) && meta.templates.length) setTemplate(meta.templates[0].name);
    const preferred = meta.providers.find((p) => p.default) ?? meta.providers[0];
    if (preferred && !meta.providers.some((p) => p.name === provider)) setProvider(preferred.name);
  }, [meta, template, provider]);

  const onResumeText = useCallback((text: string, filename: string | null) => {
    // A file is checked at once; a paste once the field is left (or on submit).
    setResume(filename ? { text, filename, ...checkResume(text, filename) } : { ...EMPTY_RESUME, text });
  }, []);

  const onResumeCheck = useCallback((): ResumeDraft => {
    const next = { ...resume, ...checkResume(resume.text, resume.filename) };
    setResume(next);
    return next;
  }, [resume]);

  useEffect(() => {
    const titles = { tailor: "Tailor", job: "Job", rank: "Rank" } as const;
    document.title = `${titles[route.view]} · resume-tailor`;
  }, [route.view]);

  const nav = (
    <nav aria-label="Views">
      <a href="#/tailor" aria-current={route.view === "tailor" ? "page" : undefined}>
        Tailor
      </a>
      {(lastJob || route.view === "job") && (
        <a
          href={route.view === "job" ? `#/jobs/${route.id}` : `#/jobs/${lastJob?.id}`}
          aria-current={route.view === "job" ? "page" : undefined}
        >
          Job
        </a>
      )}
      <a href="#/rank" aria-current={route.view === "rank" ? "page" : undefined}>
        Rank
      </a>
    </nav>
  );

  let content;
  if (route.view === "job") {
    content = <JobView key={route.id} id={route.id} initial={lastJob} />;
  } else if (!meta) {
    content = <p role="status">{problem ?? "Connecting to the API…"}</p>;
  } else if (route.view === "rank") {
    content = (
      <RankView
        meta={meta}
        batchId={route.batchId}
        resume={resume}
        onResumeText={onResumeText}
        onResumeCheck={onResumeCheck}
        draft={rankDraft}
        onDraft={setRankDraft}
        template={template}
        onTemplate={setTemplate}
        provider={provider}
        onProvider={setProvider}
        sent={sent}
        onSubmitted={(batch, postings) => {
          setSent((earlier) => ({ ...earlier, [batch.id]: postings }));
          go({ view: "rank", batchId: batch.id });
        }}
        onTailor={(item) => {
          setPosting({ text: item.text, notice: `Loaded “${item.label}” from the ranking: choose a template and tailor.` });
          go({ view: "tailor" });
        }}
      />
    );
  } else {
    content = (
      <TailorView
        meta={meta}
        resume={resume}
        onResumeText={onResumeText}
        onResumeCheck={onResumeCheck}
        posting={posting}
        onPosting={setPosting}
        template={template}
        onTemplate={setTemplate}
        provider={provider}
        onProvider={setProvider}
        onSubmitted={(job) => {
          setLastJob(job);
          go({ view: "job", id: job.id });
        }}
      />
    );
  }

  return (
    <>
      {/* Not a plain #main link: the address's hash is the page's route. */}
      <a
        className="skip"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="top">
        <span className="brand">resume-tailor</span>
        {nav}
        <ApiKeyField />
      </header>
      <main id="main" tabIndex={-1}>
        {problem && meta === null && route.view === "job" && <p className="error-text">{problem}</p>}
        {content}
      </main>
    </>
  );
}
