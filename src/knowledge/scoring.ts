import type { SearchResult } from 'minisearch';
import type { QueryTerm } from './analyzer';
import type { VariantMatch } from './variants';

/** Scoring helpers of KnowledgeIndex.retrieve: coverage of the question, story dedupe, variant bonus. */

/** A term asked in the question and again in the story is searched once, with its stronger weight. */
export function dedupe(terms: QueryTerm[], focus: number[]): QueryTerm[] {
  const best = new Map<string, QueryTerm>();
  for (const t of terms) {
    const prev = best.get(t.term);
    if (!prev || t.boost * (focus[t.origin] ?? 1) > prev.boost * (focus[prev.origin] ?? 1)) best.set(t.term, t);
  }
  return best.size === terms.length ? terms : [...best.values()];
}

/** How much a fully matched question variant adds to its article's passages, relative to the best score. */
export const VARIANT_BOOST = 1;

/**
 * Passage scores raised by their article's best matching question variant: score + VARIANT_BOOST
 * × share² × best score. Squared, so a variant matched in one word of four adds little.
 */
export function withVariants(results: SearchResult[], variants: VariantMatch[], articleOf: (id: number) => number, candidates: number): SearchResult[] {
  if (variants.length === 0 || results.length === 0) return results;
  const share = new Map(variants.map((v) => [v.article, v.share]));
  const top = results[0].score;
  return results
    .slice(0, candidates)
    .map((r) => {
      const s = share.get(articleOf(r.id as number)) ?? 0;
      return s > 0 ? { ...r, score: r.score + VARIANT_BOOST * s * s * top } : r;
    })
    .sort((a, b) => b.score - a.score);
}

/** How much a typed word counts as matched: by itself 1, through a synonym or abbreviation 0.8, only through a compound part 0.5. */
const PART_MATCH = 0.5;
const EXPANSION_MATCH = 0.8;

/**
 * Weighted share of typed words matched, each by its strongest matching term: "Elterngeld"
 * matched only by its part "geld" counts half, so a question about something else that shares
 * a compound part with the knowledge base does not look covered.
 */
export function coverageOf(terms: QueryTerm[], weights: Map<number, number>, has: (term: string) => boolean): { coverage: number; key: number } {
  const covered = new Map<number, number>();
  for (const t of terms) {
    if (t.origin < 0) continue;
    const strength = t.part ? PART_MATCH : t.boost === 1 ? 1 : EXPANSION_MATCH;
    if ((covered.get(t.origin) ?? 0) >= strength) continue;
    if (has(t.term)) covered.set(t.origin, strength);
  }
  let total = 0;
  let got = 0;
  let heaviest = -1;
  let key = 0;
  for (const [origin, w] of weights) {
    total += w;
    got += w * (covered.get(origin) ?? 0);
    if (w > heaviest) {
      heaviest = w;
      key = covered.get(origin) ?? 0;
    }
  }
  return { coverage: total > 0 ? got / total : 0, key };
}

/** Weight of an index term found for a misspelt or unknown typed word. */
const TYPO_BOOST = 0.8;

/**
 * Index terms that prefix or typo matching found for typed words the index does not know
 * ("ransomwear" → "ransomwar"), as query terms of that word, so the answer sentence can be
 * matched on them too.
 */
export function resolvedTypos(terms: QueryTerm[], results: SearchResult[], known: (term: string) => boolean): QueryTerm[] {
  const unknown = terms.filter((t) => t.boost === 1 && !known(t.term));
  if (unknown.length === 0) return [];
  const asked = new Set(terms.map((t) => t.term));
  const out = new Map<string, QueryTerm>();
  for (const r of results) {
    for (const derived of r.terms) {
      if (asked.has(derived) || out.has(derived)) continue;
      // The unknown word sharing the longest start with the found term produced it.
      let best = unknown[0];
      let bestLen = -1;
      for (const u of unknown) {
        let n = 0;
        while (n < u.term.length && n < derived.length && u.term[n] === derived[n]) n++;
        if (n > bestLen) {
          best = u;
          bestLen = n;
        }
      }
      out.set(derived, { term: derived, boost: TYPO_BOOST, origin: best.origin });
    }
  }
  return [...out.values()];
}
