// The API's bodies as the page reads them (see /openapi.json). Fields another engineer is
// adding are optional here: `SkillMatch.state` and `RankedRow.fit`.

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

export interface StageTiming {
  name: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  attempts: number | null;
  cache_hit: boolean | null;
}

export interface MatchSummary {
  match_rate_before: number | null;
  match_rate_after: number | null;
  matched: string[];
  missing: string[];
}

export interface JobError {
  stage: string | null;
  type: string | null;
  message: string;
  field: string | null;
}

export interface Job {
  id: string;
  state: string;
  template: string;
  provider: string;
  batch_id: string | null;
  label: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  stages: StageTiming[];
  match: MatchSummary | null;
  artifacts: Record<string, string> | null;
  artifacts_expire_in_s: number | null;
  error: JobError | null;
  cost_usd: number;
}

export type SkillState = "shown" | "evidenced" | "absent" | "covered";

export interface Evidence {
  path: string;
  text: string;
  surfaced: boolean;
}

export interface SkillMatch {
  name: string;
  kind: "hard" | "soft";
  importance: number;
  required: boolean;
  matched: boolean;
  evidence: Evidence[];
  resume_forms: string[];
  state?: SkillState | null;
  covered_by?: string | null;
}

export interface RateComponent {
  name: string;
  weight: number;
  score: number;
  detail: string;
}

export interface MatchReport {
  match_rate: number;
  ceiling: number;
  breakdown: RateComponent[];
  skills: SkillMatch[];
  title_match: boolean;
  resume_title: string | null;
  resume_years: number | null;
  resume_education: string | null;
}

export interface PostingSummary {
  title: string | null;
  company: string | null;
  seniority: string | null;
  min_years: number | null;
  education: string | null;
  culture: { tone: string; values: string[] };
}

export interface Line {
  output_path: string;
  text: string | null;
  edit: string;
  provider: string;
  detail: string;
  sources: Record<string, string | null>;
}

export interface LeftOut {
  path: string;
  text: string | null;
  stage: string;
  reason: string;
  relevance: number | null;
}

export interface GuardRejection {
  output_path: string;
  source_paths: string[];
  proposed: string;
  reason: string;
  provider: string;
}

export interface JobReport {
  id: string;
  state: string;
  posting: PostingSummary | null;
  before: MatchReport | null;
  after: MatchReport | null;
  lines: Line[];
  left_out: LeftOut[];
  rejections: GuardRejection[];
  compile: { template: string; engine: string; pages: number; compiles: number; adjustments: string[] } | null;
  pdf_url: string | null;
  pdf_url_expires_in_s: number | null;
}

export interface Meta {
  templates: { name: string; description: string }[];
  providers: { name: string; default: boolean }[];
  max_batch_items: number;
  max_posting_chars: number;
  artifacts: string[];
}

export interface BatchAccepted {
  id: string;
  total: number;
  job_ids: string[];
  location: string;
}

export interface RankedRow {
  rank: number;
  index: number;
  job_id: string;
  label: string | null;
  title: string | null;
  match_rate: number;
  top_missing: string[];
  fit?: number | null;
}

export interface BatchItem {
  index: number;
  job_id: string;
  label: string | null;
  state: string;
  match_rate: number | null;
  match_rate_after: number | null;
  error: JobError | null;
}

export interface Batch {
  id: string;
  kind: string;
  state: string;
  total: number;
  counts: Record<string, number>;
  created_at: string;
  finished_at: string | null;
  items: BatchItem[];
  ranking: RankedRow[] | null;
}

export interface Delivery {
  event_id: string;
  event_type: string;
  state: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  updated_at: string;
}

export interface BatchWebhooks {
  batch_id: string;
  webhook_url: string | null;
  deliveries: Delivery[];
}

export const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);
export const STAGES = ["parse", "score", "rewrite", "compile", "upload"] as const;
