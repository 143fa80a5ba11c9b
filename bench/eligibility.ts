/**
 * Register lookup speed: resolution runs on every turn, so it must stay well under 1 ms.
 * Prints lookups/s and p50/p95/p99 per lookup for each kind of input, with an anchor (plain
 * name folding on the same inputs) so figures from different machines can be compared.
 * Run: npm run bench:eligibility [-- --rounds 20]
 */
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { createEligibilityService, nameKey } from '../src/eligibility';

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 20;

const t0 = performance.now();
const service = createEligibilityService();
const startupMs = performance.now() - t0;
const all = service.register.all();

/** Swaps two neighbouring letters in the middle: a typical typing error. */
const typo = (s: string): string => {
  const i = Math.max(1, Math.floor(s.length / 2) - 1);
  return s.length < 4 ? s : s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
};
const foldUmlauts = (s: string): string => s.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss');

const sets: Record<string, string[]> = {
  'exact name (all 442)': all.map((k) => k.shortName),
  'umlaut/ß folded': all.filter((k) => /[äöüß]/.test(k.shortName)).map((k) => foldUmlauts(k.shortName)),
  'typo (swapped letters)': all.map((k) => typo(k.shortName.split(' (')[0])),
  'AGS': all.map((k) => k.ags),
  'ambiguous': ['Gießen', 'Kassel', 'Fulda', 'Lautertal', 'Offenbach', 'Homberg', 'Reichelsheim', 'Allendorf'],
  'outside Hessen': ['Mainz', 'Heidelberg', 'Würzburg', 'Göttingen', 'Siegen', 'Aschaffenburg', 'Müchen', 'Koblentz'],
  'nonsense': ['asdfghjk', 'Qwertzuiop', 'Xyzabc Nord', 'Hallo Welt', 'Kuchen', 'Blumenwiese am See'],
};
const sentences = ['Kann Buseck das KDLZ nutzen?', 'Ist Limburg förderfähig?', 'Kann der Landkreis Gießen das KDLZ nutzen?', 'Bekommt Bad Homburg v. d. Höhe IKZ-Förderung?', 'Können wir das KDLZ nutzen?'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function measure(inputs: string[], fn: (s: string) => unknown): { n: number; perSec: number; p50: number; p95: number; p99: number; max: number } {
  for (const s of inputs) fn(s); // warm-up
  const times: number[] = [];
  const start = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of inputs) {
      const a = performance.now();
      fn(s);
      times.push(performance.now() - a);
    }
  }
  const total = performance.now() - start;
  times.sort((x, y) => x - y);
  return { n: times.length, perSec: times.length / (total / 1000), p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), max: times[times.length - 1] };
}

const ms = (v: number): string => `${(v * 1000).toFixed(1).padStart(7)} µs`;
const row = (label: string, m: ReturnType<typeof measure>, anchor?: ReturnType<typeof measure>): string =>
  `${label.padEnd(28)} ${String(m.n).padStart(6)}  ${Math.round(m.perSec).toLocaleString('de-DE').padStart(10)}/s  p50 ${ms(m.p50)}  p95 ${ms(m.p95)}  p99 ${ms(m.p99)}  max ${ms(m.max)}` +
  (anchor ? `   | anchor p50 ${ms(anchor.p50)}  p99 ${ms(anchor.p99)}` : '');

console.log(`KDLZ-Bot eligibility benchmark — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}), ${ROUNDS} rounds`);
console.log(`start-up (read CSV + YAML, build indexes): ${startupMs.toFixed(1)} ms for ${all.length} Kommunen`);
console.log('target: < 1 ms per lookup (p99). anchor = nameKey() folding of the same inputs, no lookup.\n');
console.log(`${'input kind'.padEnd(28)} ${'n'.padStart(6)}  ${'lookups'.padStart(12)}`);
const everything: string[] = [];
for (const [label, inputs] of Object.entries(sets)) {
  everything.push(...inputs);
  console.log(row(label, measure(inputs, (s) => service.register.resolve(s)), measure(inputs, nameKey)));
}
console.log(row('all lookups mixed', measure(everything, (s) => service.register.resolve(s)), measure(everything, nameKey)));
console.log(row('parseQuestion (sentences)', measure(sentences, (s) => service.parseQuestion(s)), measure(sentences, nameKey)));
