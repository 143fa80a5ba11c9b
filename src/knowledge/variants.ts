import { type GermanAnalyzer, type QueryTerm, words } from './analyzer';

/**
 * The editors' question variants (front matter `questions:`), indexed as their own field: each
 * variant is a short list of key words (stop words out), each word with its terms (stem and
 * compound parts) and its rarity. A message matches a variant by the rarity-weighted share of
 * the VARIANT's key words it contains. Unlike the share of the message a passage covers, this
 * does not fall when a person writes more: a story around the question adds words to the
 * message, not to the variant.
 */
interface Variant {
  article: number;
  /** Per key word: its terms. */
  words: string[][];
  /** Per key word: its weight (rarity in the passages). */
  weights: number[];
  total: number;
}

/** A variant word found only through a synonym or compound part counts this much. */
const INDIRECT = 0.8;
/** Key words a message must share with a variant for its full share … */
const MIN_FOUND = 2;
/** … otherwise the share counts this much. */
const SINGLE_WORD = 0.5;
/** Terms carried by more variants than this are too common to look up per message (the walk stays cheap at 10,000 articles). */
const MAX_POSTINGS = 2000;

export interface VariantMatch {
  /** Article index (position in the articles given to build). */
  article: number;
  /** Rarity-weighted share of the best variant's key words found in the message (0..1). */
  share: number;
  /** Key words of that variant. */
  size: number;
}

export class VariantIndex {
  private readonly variants: Variant[] = [];
  private readonly postings = new Map<string, number[]>();

  constructor(articles: readonly { questions: readonly string[] }[], analyzer: GermanAnalyzer, idf: (term: string) => number) {
    articles.forEach((a, article) => {
      for (const q of a.questions) {
        const ws: string[][] = [];
        const weights: number[] = [];
        for (const w of words(q)) {
          const terms = analyzer.termsOfWord(w);
          if (terms.length === 0 || ws.some((x) => x[0] === terms[0])) continue;
          ws.push([...terms]);
          weights.push(idf(terms[0]));
        }
        if (ws.length === 0) continue;
        const id = this.variants.length;
        this.variants.push({ article, words: ws, weights, total: weights.reduce((s, x) => s + x, 0) });
        for (const t of new Set(ws.flat())) {
          let list = this.postings.get(t);
          if (!list) this.postings.set(t, (list = []));
          list.push(id);
        }
      }
    });
  }

  /** Does a question variant of this article contain the term? (Its staff words count as the article's vocabulary.) */
  articleHas(article: number, term: string): boolean {
    const list = this.postings.get(term);
    if (!list) return false;
    for (const id of list) if (this.variants[id].article === article) return true;
    return false;
  }

  get size(): number {
    return this.variants.length;
  }

  /**
   * Best variant per article for the analysed message. `focus` gives each typed word's weight
   * (question sentence 1, story less): a variant word matched only in the story counts that much.
   */
  match(terms: readonly QueryTerm[], focus: (origin: number) => number): VariantMatch[] {
    if (this.variants.length === 0) return [];
    /** Best strength per query term: typed 1 (times focus), otherwise INDIRECT (times focus). */
    const strength = new Map<string, number>();
    for (const t of terms) {
      const s = (t.boost === 1 ? 1 : INDIRECT) * focus(t.origin);
      if ((strength.get(t.term) ?? 0) < s) strength.set(t.term, s);
    }
    const touched = new Set<number>();
    for (const term of strength.keys()) {
      const list = this.postings.get(term);
      if (list && list.length <= MAX_POSTINGS) for (const id of list) touched.add(id);
    }
    const best = new Map<number, VariantMatch>();
    for (const id of touched) {
      const v = this.variants[id];
      let got = 0;
      let found = 0;
      v.words.forEach((ts, i) => {
        let s = 0;
        ts.forEach((t, j) => {
          const x = (strength.get(t) ?? 0) * (j === 0 ? 1 : INDIRECT);
          if (x > s) s = x;
        });
        got += s * v.weights[i];
        if (s > 0) found++;
      });
      // One shared word ("Was kostet das?") is no evidence the message asks what the variant asks.
      const share = v.total > 0 ? (got / v.total) * (found >= MIN_FOUND ? 1 : SINGLE_WORD) : 0;
      const prev = best.get(v.article);
      if (!prev || share > prev.share || (share === prev.share && v.words.length > prev.size)) best.set(v.article, { article: v.article, share, size: v.words.length });
    }
    return [...best.values()].sort((a, b) => b.share - a.share);
  }
}
