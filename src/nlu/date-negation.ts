import type { Token } from './tokens';

/**
 * "nächste Woche, aber nicht Montag", "Montag geht nicht, Dienstag schon", "any day except
 * Monday", "lieber nicht nächste Woche": the parts of an answer that say when NOT. The answer is
 * cut into clauses (at , ; . ! ? and "aber", "sondern", "but", "ausser", "except"); a clause with a
 * negation is left out of the reading, and the weekdays it names are returned so the range can
 * drop them at its edges. "nicht vor Januar" is "ab Januar", no negation. One linear pass.
 */
const CUTS = new Set([',', ';', '.', '!', '?', 'aber', 'sondern', 'but', 'ausser', 'ausgenommen', 'except', 'ohne']);
/** Cuts that also negate the clause they open ("ausser Montag"). */
const NEGATING_CUTS = new Set(['ausser', 'ausgenommen', 'except', 'ohne']);
const NEGATIONS = new Set(['nicht', 'kein', 'keine', 'keinen', 'not', 'no', 'nie', 'never', 'nein']);

export interface Negation {
  /** The tokens of the clauses that say when (with the cut marks between them). */
  kept: Token[];
  /** Tokens of the negated clauses (their weekdays are excluded). */
  negated: Token[][];
}

export function splitNegated(tokens: Token[]): Negation {
  const kept: Token[] = [];
  const negated: Token[][] = [];
  let clause: Token[] = [];
  let negatedClause = false;
  const flush = () => {
    if (negatedClause) negated.push(clause);
    else kept.push(...clause);
    clause = [];
    negatedClause = false;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (CUTS.has(t.t) && !isDateMark(tokens, i)) {
      flush();
      if (NEGATING_CUTS.has(t.t)) negatedClause = true;
      else kept.push(t);
      continue;
    }
    // "nicht vor Januar", "not before March": a start, not a negation.
    if (NEGATIONS.has(t.t) && (tokens[i + 1]?.t === 'vor' || tokens[i + 1]?.t === 'before')) {
      clause.push({ ...t, t: 'ab' });
      i++;
      continue;
    }
    if (NEGATIONS.has(t.t)) negatedClause = true;
    clause.push(t);
  }
  flush();
  return { kept, negated };
}

/** The point of a date or of a short weekday ("26.01.", "Di.") is no end of a clause. */
function isDateMark(tokens: Token[], i: number): boolean {
  const t = tokens[i].t;
  if (t !== '.' && t !== ',') return false;
  const prev = tokens[i - 1];
  if (t === '.' && prev?.kind === 'num') return true;
  // "Di., 26.01." / "Di, 26.01.": a short weekday before a date.
  return prev?.kind === 'word' && prev.t.length <= 3 && (tokens[i + 1]?.kind === 'num' || (tokens[i + 1]?.t === ',' && tokens[i + 2]?.kind === 'num'));
}
