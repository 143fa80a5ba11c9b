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
  /** A compound part of the typed word ("geld" of "Elterngeld"), not the word itself. */
  part?: boolean;
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
  const lower = text.toLowerCase();
  // "zum Beispiel" only introduces a list; it must not answer a question asking for examples.
  return (lower.includes('zum beispiel') ? lower.replace(/zum beispiel/g, ' ') : lower).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Bounded memo: a flood of distinct junk words must not grow memory without limit. */
const CACHE_LIMIT = 200_000;
/** Word → stem, or '' for a stop word: one lookup per token instead of fold + stem each time. */
const wordCache = new Map<string, string>();
/** Stems of word parts tried by the compound splitter, kept apart so they cannot evict words. */
const stemCache = new Map<string, string>();

function snowball(word: string): string {
  let s = fold(stemmer.stem(umlautSpelling(word)));
  // Snowball keeps the verb endings "-et"/"-t" ("kostet", "läuft", "stellt", "fördert"); questions
  // use them constantly. Cut on both sides (index and query), so a noun losing its "t" still
  // meets its own forms ("Arbeit", "arbeiten" → "arbei").
  if (s.length > 5 && s.endsWith('et')) s = s.slice(0, -2);
  else if (s.length > 5 && s.endsWith('t')) s = s.slice(0, -1);
  return s;
}

/** Snowball German stem of one lower-case word, plus a light rule for verb forms ("kostet"). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = snowball(word);
    if (stemCache.size >= CACHE_LIMIT) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** Stop words folded (umlauts to base vowels, ß to ss), for the spellings "fuer", "muessen", "moechte". */
const FOLDED_STOP_WORDS: ReadonlySet<string> = new Set([...STOP_WORDS].map(fold));

/** Whether a lower-case word is a stop word in any spelling ("für", "fuer", "fur"). */
function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word) || FOLDED_STOP_WORDS.has(fold(word)) || FOLDED_STOP_WORDS.has(fold(umlautSpelling(word)));
}

/** Stem of a lower-case word, or '' when it is a stop word. */
export function termOf(word: string): string {
  let t = wordCache.get(word);
  if (t === undefined) {
    t = isStopWord(word) ? '' : snowball(word);
    if (wordCache.size >= CACHE_LIMIT) wordCache.clear();
    wordCache.set(word, t);
  }
  return t;
}

const NO_TERMS: readonly string[] = [];
const MIN_PART = 4;
/** Shorter words are not split: both parts need MIN_PART letters plus a linking letter. */
const COMPOUND_MIN = 2 * MIN_PART + 1;
const LINKING = ['', 's', 'es', 'n', 'en'];

const QUESTION_FRAME = /(?<=\bwie\s+)(lange|hoch|oft|gro(ß|ss))\b/gi;

/** Looks like a past participle with "ge-" ("gemeldet", "geprüft"); checked against the vocabulary. */
function isParticiple(word: string): boolean {
  return word.length >= 7 && word.startsWith('ge') && word.endsWith('t');
}

/**
 * German analysis shared by index and queries: stop words out, stems in, and the parts of
 * compounds that the corpus knows as words ("Sicherheitsberatung" also yields "berat", so a
 * question about "Beratung" finds it; "Fördermittel" also yields "forder").
 */
export class GermanAnalyzer {
  private readonly vocabulary = new Set<string>();
  /** First four letters (or fewer) of every vocabulary stem. */
  private readonly stemStarts = new Set<string>();
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly expansions?: Expansions) {}

  /** Teaches the compound splitter which words exist. Call for all texts before analysing. */
  learn(text: string): void {
    this.learnWords(words(text));
  }

  /** learn() for text already split with words(). */
  learnWords(list: readonly string[]): void {
    const before = this.vocabulary.size;
    for (const w of list) {
      if (w.length < MIN_PART) continue;
      const t = termOf(w);
      if (t && !this.vocabulary.has(t)) {
        this.vocabulary.add(t);
        this.stemStarts.add(t.slice(0, 4));
      }
    }
    if (this.vocabulary.size !== before) this.cache.clear();
  }

  /** Terms for indexing or matching one text. */
  terms(text: string): string[] {
    return this.wordsToTerms(words(text));
  }

  /** Index terms of one word from words(): none for a stop word, its stem, plus compound parts. */
  termsOfWord(word: string): readonly string[] {
    const t = termOf(word);
    if (!t) return NO_TERMS;
    return word.length < COMPOUND_MIN && !isParticiple(word) ? [t] : this.wordTerms(word);
  }

  /** terms() for text already split with words(). */
  wordsToTerms(list: readonly string[]): string[] {
    const out: string[] = [];
    for (const w of list) {
      const t = termOf(w);
      if (!t) continue;
      if (w.length < COMPOUND_MIN && !isParticiple(w)) out.push(t);
      else for (const x of this.wordTerms(w)) out.push(x);
    }
    return out;
  }

  /** Terms of a question, with synonym/abbreviation/English expansions at a lower boost. */
  queryTerms(question: string): { terms: QueryTerm[]; typed: number; english: number } {
    const terms: QueryTerm[] = [];
    const seen = new Set<string>();
    let typed = 0;
    let english = 0;
    const push = (term: string, boost: number, origin: number, part = false) => {
      const key = `${term}\u0000${origin}`;
      if (seen.has(key)) return;
      seen.add(key);
      terms.push(part ? { term, boost, origin, part } : { term, boost, origin });
    };
    // "Wie lange", "wie hoch", "wie oft" frame the question; what they ask for is an answer kind
    // (see extract.ts), not a topic word ("lange" would otherwise weigh as a rare word).
    for (const w of words(question.replace(QUESTION_FRAME, ' '))) {
      const folded = fold(w);
      if (ENGLISH_MARKERS.has(folded)) english++;
      if (!termOf(w)) continue;
      const origin = typed++;
      const own = this.wordTerms(w);
      own.forEach((t, i) => push(t, i === 0 ? 1 : 0.5, origin, i > 0));
      // Expansions share one weight, so a large synonym group cannot outvote the typed word.
      // Only the stems of expansion words: their compound parts would flood the query with weak terms.
      const extra = (this.expansions?.lookup(stem(w), folded) ?? [])
        .flatMap((e) => words(e).map(termOf).filter((x) => x !== ''))
        .filter((t) => !own.includes(t));
      const boost = Math.min(0.7, 1.4 / Math.sqrt(Math.max(1, extra.length)));
      for (const t of extra) push(t, boost, origin);
    }
    return { terms, typed, english };
  }

  private wordTerms(word: string): string[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const base = termOf(word) || stem(word);
    const result = [base];
    // "gemeldet", "gestellt", "gefördert" also count as "melden", "stellen", "fördern" when the
    // corpus knows that verb ("Gemeinde" stays whole: "meinde" is no known word).
    if (isParticiple(word)) {
      const verb = stem(word.slice(2));
      if (verb !== base && this.vocabulary.has(verb)) result.push(verb);
    }
    if (word.length >= COMPOUND_MIN) {
      for (const part of this.split(umlautSpelling(word), 2)) {
        if (!result.includes(part)) result.push(part);
      }
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, result);
    return result;
  }

  /** Compound parts whose stems are known words; depth limits three-part compounds. */
  private split(word: string, depth: number): string[] {
    // Longest known right part first: in German the right part carries the meaning.
    for (let i = MIN_PART; i <= word.length - MIN_PART; i++) {
      const right = word.slice(i);
      // Cheap test before stemming: a stem is the start of its (folded) word, so the right part
      // must begin like some known stem.
      const start = fold(right.slice(0, 4));
      if (!this.stemStarts.has(start) && !this.stemStarts.has(start.slice(0, 3))) continue;
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
