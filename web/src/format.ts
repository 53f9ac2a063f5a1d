export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "–" : `${Math.round(rate * 100)}%`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function elapsedSince(iso: string | null, now: number): number | null {
  if (!iso) return null;
  const started = Date.parse(iso);
  return Number.isNaN(started) ? null : Math.max(0, now - started);
}
