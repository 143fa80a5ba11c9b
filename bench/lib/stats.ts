/** Latency and throughput summaries: nearest-rank percentiles over all samples of a run, medians over runs. */

export interface RunFigures {
  /** Completed turns (or requests) per second in the measured window. */
  perSec: number;
  p50: number;
  p95: number;
  p99: number;
  /** Completed turns/requests in the window. */
  count: number;
  /** Failed turns (non-2xx, missing reply, timeout). */
  errors: number;
}

/** Nearest-rank percentile of an ascending array (ms). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(values: readonly number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Figures of one measured window. */
export function summarise(latenciesMs: number[], seconds: number, errors: number): RunFigures {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    perSec: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    count: sorted.length,
    errors,
  };
}

/** The median of each figure over several runs (each figure on its own, as is usual for benchmarks). */
export function medianOfRuns(runs: readonly RunFigures[]): RunFigures {
  return {
    perSec: median(runs.map((r) => r.perSec)),
    p50: median(runs.map((r) => r.p50)),
    p95: median(runs.map((r) => r.p95)),
    p99: median(runs.map((r) => r.p99)),
    count: runs.reduce((s, r) => s + r.count, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
  };
}
