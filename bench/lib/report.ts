import type { RunFigures } from './stats';

/** One line of the result table: figures, or why there are none. */
export interface Row {
  name: string;
  figures?: RunFigures;
  peakRssMb?: number;
  /** Turns/s relative to the echo bot in the same run (undefined for the anchors themselves). */
  ratio?: number;
  p99Ratio?: number;
  /** The target this row is held to, in words, and whether the figures meet it. */
  target?: string;
  met?: boolean;
  /** Why there are no figures ("n/a (…)"), or what else to know about the row. */
  note?: string;
}

const num = (v: number | undefined, digits = 0): string =>
  v === undefined || !Number.isFinite(v) ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const pct = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : `${Math.round(v * 100)} %`);

export function markdownTable(rows: readonly Row[]): string {
  const head = '| scenario | turns/s | p50 ms | p95 ms | p99 ms | peak RSS MB | vs echo turns/s | p99 vs echo | target | met |';
  const sep = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | :---: |';
  const lines = rows.map((r) => {
    if (!r.figures) return `| ${r.name} | ${r.note ?? 'n/a'} | | | | ${num(r.peakRssMb)} | | | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'NO'} |`;
    const f = r.figures;
    const errs = f.errors ? ` (${f.errors} errors)` : '';
    return (
      `| ${r.name}${r.note ? ` — ${r.note}` : ''} | ${num(f.perSec)}${errs} | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.p99)} | ${num(r.peakRssMb)} | ${pct(r.ratio)} | ` +
      `${r.p99Ratio === undefined ? '–' : r.p99Ratio.toFixed(2) + '×'} | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'NO'} |`
    );
  });
  return [head, sep, ...lines].join('\n');
}

/** The same table for a terminal: fixed-width columns. */
export function textTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => {
    const f = r.figures;
    return [
      r.name,
      f ? num(f.perSec) + (f.errors ? ` (${f.errors} err)` : '') : r.note ?? 'n/a',
      f ? ms(f.p50) : '',
      f ? ms(f.p95) : '',
      f ? ms(f.p99) : '',
      num(r.peakRssMb),
      pct(r.ratio),
      r.p99Ratio === undefined ? '' : r.p99Ratio.toFixed(2) + 'x',
      r.met === undefined ? '' : r.met ? 'ok' : 'MISSED',
      r.target ?? '',
    ];
  });
  const header = ['scenario', 'turns/s', 'p50 ms', 'p95 ms', 'p99 ms', 'RSS MB', 'vs echo', 'p99/echo', '', 'target'];
  const all = [header, ...cells];
  const widths = header.map((_h, i) => Math.max(...all.map((c) => c[i].length)));
  return all.map((c) => c.map((v, i) => (i === 0 || i >= 8 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}
