import { newStemmer } from 'snowball-stemmers';
import { ENGLISH_MARKERS, STOP_WORDS } from './stopwords';

/** Query-time expansions read from knowledge/synonyms.yaml (see lexicon.ts). */
export interface Expansions {
  /** Stem of a query word → further word lists to search for (each list analysed like text). */
  lookup(stem: string, folded: string): string[];
}

/** One term of an analysed query; expansions carry a lower boost than what the user typed. */
export interface QueryTerm {
  term: string;
  boost: number;
  /** Index of the typed word this term came from, so coverage counts typed words, not expansions. */
  origin: number;
}

const stemmer = newStemmer('german');

/** Lower-case, ß → ss, umlauts → base vowel. Used for comparisons that must ignore spelling. */
export function fold(word: string): string {
  return word
    .toLowerCase()
    .replace(/ä/g, 'a')
    .replace(/ö/g, 'o')
    .replace(/ü/g, 'u')
    .replace(/ß/g, 'ss');
}

/**
 * "Foerderung" and "Förderung" must meet before stemming: the stemmer folds umlauts itself but
 * does not know the ae/oe/ue spelling. Applied to index and query alike, so the few words where
 * "ue" is no umlaut ("Steuer") are changed on both sides and still match.
 */
function umlautSpelling(word: string): string {
  return word.replace(/ae/g, 'ä').replace(/oe/g, 'ö').replace(/(?<!q)ue/g, 'ü');
}

/** Words as a person would split them: letters and digits, hyphen and punctuation separate. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function isStopWord(word: string): boolean {
  const lower = word.toLowerCase();
  return STOP_WORDS.has(lower) || STOP_WORDS.has(fold(lower));
}

/** Snowball German stem of one lower-case word, plus a light rule for verb forms ("kostet"). */
const stemCache = new Map<string, string>();

export function stem(word: string): string {
  const hit = stemCache.get(word);
  if (hit !== undefined) return hit;
  let s = stemmer.stem(umlautSpelling(word));
  s = fold(s);
  // Snowball keeps the 3rd-person "-et" ("kostet", "gemeldet"); questions use it constantly.
  if (s.length > 5 && s.endsWith('et')) s = s.slice(0, -2);
  // Bounded: a flood of distinct junk words must not grow memory without limit.
  if (stemCache.size > 200_000) stemCache.clear();
  stemCache.set(word, s);
  return s;
}

const MIN_PART = 4;
/** Questions that ask for an amount or a count. */
export const QUANTITY = /\b(wie ?viele?|wieviele?|wie hoch|wie lange|how many|how much|anzahl)\b/i;
const LINKING = ['', 's', 'es', 'n', 'en'];

/**
 * German analysis shared by index and queries: stop words out, stems in, and the parts of
 * compounds that the corpus knows as words ("Sicherheitsberatung" also yields "berat", so a
 * question about "Beratung" finds it; "Fördermittel" also yields "forder").
 */
export class GermanAnalyzer {
  private readonly vocabulary = new Set<string>();
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly expansions?: Expansions) {}

  /** Teaches the compound splitter which words exist. Call for all texts before analysing. */
  learn(text: string): void {
    for (const w of words(text)) {
      if (w.length >= MIN_PART && !isStopWord(w)) this.vocabulary.add(stem(w));
    }
    this.cache.clear();
  }

  /** Terms for indexing or matching one text. */
  terms(text: string): string[] {
    const out: string[] = [];
    for (const w of words(text)) {
      if (isStopWord(w)) continue;
      for (const t of this.wordTerms(w)) out.push(t);
    }
    return out;
  }

  /** Terms of a question, with synonym/abbreviation/English expansions at a lower boost. */
  queryTerms(question: string): { terms: QueryTerm[]; typed: number; english: number } {
    const terms: QueryTerm[] = [];
    const seen = new Set<string>();
    let typed = 0;
    let english = 0;
    const push = (term: string, boost: number, origin: number) => {
      const key = `${term}\u0000${origin}`;
      if (seen.has(key)) return;
      seen.add(key);
      terms.push({ term, boost, origin });
    };
    for (const w of words(question)) {
      const folded = fold(w);
      if (ENGLISH_MARKERS.has(folded)) english++;
      if (isStopWord(w)) continue;
      const origin = typed++;
      const own = this.wordTerms(w);
      own.forEach((t, i) => push(t, i === 0 ? 1 : 0.5, origin));
      // Expansions share one weight, so a large synonym group cannot outvote the typed word.
      // Only the stems of expansion words: their compound parts would flood the query with weak terms.
      const extra = (this.expansions?.lookup(stem(w), folded) ?? [])
        .flatMap((e) => words(e).filter((x) => !isStopWord(x)).map(stem))
        .filter((t) => !own.includes(t));
      const boost = Math.min(0.7, 1.4 / Math.sqrt(Math.max(1, extra.length)));
      for (const t of extra) push(t, boost, origin);
    }
    // "Wie viele …?" asks for a number: lean towards passages about figures, without counting
    // the phrase as a topic word (origin -1 is ignored by coverage).
    if (QUANTITY.test(question)) push('zahl', 0.4, -1);
    return { terms, typed, english };
  }

  private wordTerms(word: string): string[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const base = stem(word);
    const result = [base];
    if (word.length >= 2 * MIN_PART + 1) {
      for (const part of this.split(umlautSpelling(word), 2)) {
        if (!result.includes(part)) result.push(part);
      }
    }
    this.cache.set(word, result);
    return result;
  }

  /** Compound parts whose stems are known words; depth limits three-part compounds. */
  private split(word: string, depth: number): string[] {
    // Longest known right part first: in German the right part carries the meaning.
    for (let i = MIN_PART; i <= word.length - MIN_PART; i++) {
      const right = word.slice(i);
      const rightStem = stem(right);
      if (!this.vocabulary.has(rightStem)) continue;
      const head = word.slice(0, i);
      for (const link of LINKING) {
        if (!head.endsWith(link)) continue;
        const left = head.slice(0, head.length - link.length);
        if (left.length < MIN_PART) continue;
        const leftStem = stem(left);
        if (this.vocabulary.has(leftStem) || this.vocabulary.has(fold(left))) {
          return [leftStem, fold(left), rightStem];
        }
        if (depth > 1) {
          const inner = this.split(left, depth - 1);
          if (inner.length > 0) return [...inner, rightStem];
        }
      }
    }
    return [];
  }
}
