import { baseVowels, fold, hasPhrase } from '../text/fold';

/**
 * The judge of the blind question sets (test/knowledge/blind/*.json, see its README). Strict on
 * purpose: a right answer must come from an expected article (citation entity) and state every
 * expected fact on word boundaries, and a fact the question already contains proves nothing.
 */

/** One blind item as the annotator wrote it. */
export interface BlindItem {
  id: string;
  q: string;
  /** Article ids (file name without .md) any of which states the facts. */
  articles: string[];
  facts: string[];
  kind: 'answer' | 'emergency' | 'decline';
  /** Writer style: short, long, typo, english, panic, offtopic, injection, … */
  style: string;
  /** The knowledge base does not state what is asked: a clarification or a decline is right. */
  unanswerable?: boolean;
}

/** What the bot did with a message. 'dialog': routed into a dialog (eligibility, booking, …), no knowledge answer. */
export type Outcome = 'answer' | 'clarify' | 'decline' | 'emergency' | 'dialog';
export const OUTCOMES: readonly Outcome[] = ['answer', 'clarify', 'decline', 'emergency', 'dialog'];

export interface EvalReply {
  outcome: Outcome;
  /** The reply text (empty for a dialog). */
  text: string;
  /** Article ids in the reply's citation entity. */
  cited: string[];
  /** For a dialog: the intent that took the message. */
  intent?: string;
}

export interface Verdict {
  correct: boolean;
  /** Why not, in a few words (dev failures only are printed). */
  reason?: string;
}

/** The ZAC 24/7 number every emergency answer must give. */
export const EMERGENCY_NUMBER = '0611-83 8377';

/**
 * Tokens for fact matching: case, umlaut spelling (ä/ae/a), ß, accents, whitespace and
 * punctuation ignored; thousands separators dropped ("35.000", "35 000" → "35000"), so "25"
 * matches the token "25" only, never "2025" or "25.000".
 */
export function factTokens(text: string): string[] {
  const folded = baseVowels(fold(text)).replace(/(?<![\d.])(\d{1,3})((?:[. \u00a0\u202f']\d{3})+)(?![\d]|[.,]\d)/g, (_m, head: string, groups: string) => head + groups.replace(/[^\d]/g, ''));
  return folded.split(/[^a-z0-9]+/).filter((t) => t.length > 0);
}

/** True when the fact's tokens occur consecutively in the text's tokens. */
export function containsFact(text: string | string[], fact: string): boolean {
  const tokens = Array.isArray(text) ? text : factTokens(text);
  return hasPhrase(tokens, factTokens(fact));
}

export function judgeBlind(item: BlindItem, reply: EvalReply): Verdict {
  if (item.kind === 'emergency') {
    if (reply.outcome !== 'emergency') return { correct: false, reason: `not the first-aid answer (${reply.outcome})` };
    return containsFact(reply.text, EMERGENCY_NUMBER) ? { correct: true } : { correct: false, reason: 'no ZAC number' };
  }
  if (item.kind === 'decline') {
    return reply.outcome === 'decline' ? { correct: true } : { correct: false, reason: `not declined (${reply.outcome})` };
  }
  if (item.unanswerable) {
    return reply.outcome === 'clarify' || reply.outcome === 'decline' ? { correct: true } : { correct: false, reason: `confident ${reply.outcome} on an unanswerable question` };
  }
  if (reply.outcome !== 'answer') return { correct: false, reason: `no answer (${reply.outcome})` };
  if (!reply.cited.some((a) => item.articles.includes(a))) return { correct: false, reason: `cites ${reply.cited.join(', ') || 'nothing'}, not an expected article` };
  const question = factTokens(item.q);
  const facts = item.facts.filter((f) => !containsFact(question, f));
  if (facts.length === 0) return { correct: false, reason: 'every fact is in the question: nothing to verify' };
  const answer = factTokens(reply.text);
  const missing = facts.filter((f) => !containsFact(answer, f));
  return missing.length === 0 ? { correct: true } : { correct: false, reason: `missing ${JSON.stringify(missing)}` };
}

export interface BlindResult {
  item: BlindItem;
  reply: EvalReply;
  verdict: Verdict;
}

type Shares = Record<Outcome, number>;
const noShares = (): Shares => ({ answer: 0, clarify: 0, decline: 0, emergency: 0, dialog: 0 });

export interface Tally {
  n: number;
  correct: number;
  outcomes: Shares;
}

export interface BlindSummary {
  /** Answerable items (kind answer, not unanswerable): right article and every fact. */
  facts: Tally;
  unanswerable: Tally;
  declines: Tally;
  emergencies: Tally;
  /** Per kind (answer, unanswerable, emergency, decline) and per writer style. */
  byKind: Record<string, Tally>;
  byStyle: Record<string, Tally>;
  results: BlindResult[];
}

function add(t: Record<string, Tally>, key: string, r: BlindResult): void {
  const x = (t[key] ??= { n: 0, correct: 0, outcomes: noShares() });
  x.n++;
  if (r.verdict.correct) x.correct++;
  x.outcomes[r.reply.outcome]++;
}

export function summarise(results: BlindResult[]): BlindSummary {
  const byKind: Record<string, Tally> = {};
  const byStyle: Record<string, Tally> = {};
  for (const r of results) {
    add(byKind, r.item.kind === 'answer' && r.item.unanswerable ? 'unanswerable' : r.item.kind, r);
    add(byStyle, r.item.style, r);
  }
  const empty = (): Tally => ({ n: 0, correct: 0, outcomes: noShares() });
  return {
    facts: byKind.answer ?? empty(),
    unanswerable: byKind.unanswerable ?? empty(),
    declines: byKind.decline ?? empty(),
    emergencies: byKind.emergency ?? empty(),
    byKind,
    byStyle,
    results,
  };
}

/** Sends every item through `reply` (the bot's routing and knowledge service) and judges it. */
export async function evaluateBlind(items: BlindItem[], reply: (q: string) => Promise<EvalReply>): Promise<BlindSummary> {
  const results: BlindResult[] = [];
  for (const item of items) {
    const r = await reply(item.q);
    results.push({ item, reply: r, verdict: judgeBlind(item, r) });
  }
  return summarise(results);
}

export const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)} %`);

function shareLine(t: Tally): string {
  return OUTCOMES.filter((o) => t.outcomes[o] > 0)
    .map((o) => `${o} ${pct(t.outcomes[o], t.n)}`)
    .join(', ');
}

/**
 * The report: headline figures, shares per kind and per writer style. Failures are listed only
 * when asked (the dev split); a frozen split's report holds numbers only.
 */
export function formatBlind(name: string, s: BlindSummary, opts: { failures: boolean }): string {
  const lines = [
    `${name}: facts with the right article ${s.facts.correct}/${s.facts.n} (${pct(s.facts.correct, s.facts.n)}); ` +
      `out of scope declined ${s.declines.correct}/${s.declines.n} (${pct(s.declines.correct, s.declines.n)}); ` +
      `emergencies answered with first aid ${s.emergencies.correct}/${s.emergencies.n}, declined ${s.emergencies.outcomes.decline}; ` +
      `unanswerable: ${shareLine(s.unanswerable) || 'none'}`,
  ];
  const all: Tally = { n: s.results.length, correct: 0, outcomes: noShares() };
  for (const r of s.results) all.outcomes[r.reply.outcome]++;
  lines.push(`  all ${s.results.length} messages: ${shareLine(all)}`);
  for (const [kind, t] of Object.entries(s.byKind)) lines.push(`  kind ${kind.padEnd(12)} ${String(t.correct).padStart(3)}/${String(t.n).padEnd(3)} ${pct(t.correct, t.n).padStart(7)}  | ${shareLine(t)}`);
  for (const [style, t] of Object.entries(s.byStyle).sort()) lines.push(`  style ${style.padEnd(11)} ${String(t.correct).padStart(3)}/${String(t.n).padEnd(3)} ${pct(t.correct, t.n).padStart(7)}  | ${shareLine(t)}`);
  if (opts.failures) {
    for (const r of s.results.filter((x) => !x.verdict.correct)) {
      const expected = r.item.kind === 'answer' ? `${r.item.unanswerable ? 'clarify/decline' : JSON.stringify(r.item.facts)} from ${r.item.articles.join('|')}` : r.item.kind;
      const got = r.reply.outcome === 'dialog' ? `dialog ${r.reply.intent ?? ''}` : `${r.reply.outcome} [${r.reply.cited.join(',')}] ${r.reply.text.replace(/\s+/g, ' ').slice(0, 160)}`;
      lines.push(`  ✗ ${r.item.id} ${r.item.q.replace(/\s+/g, ' ').slice(0, 200)}\n      expected ${expected}; ${r.verdict.reason}\n      got ${got}`);
    }
  }
  return lines.join('\n');
}
