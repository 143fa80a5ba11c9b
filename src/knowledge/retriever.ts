import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { SearchResult } from 'minisearch';
import { type Expansions, GermanAnalyzer, type QueryTerm, termOf, words } from './analyzer';
import { FastMiniSearch } from './fast-minisearch';
import { IntList } from './int-list';
import type { Article, SourceRef } from './articles';
import { focusSegments } from './message';
import { coverageOf, dedupe, resolvedTypos, withVariants } from './scoring';
import { sentencesWithLines } from './sentences';
import { articleTexts, TOPIC_MAX_ARTICLES, type TopicGuess, TopicModel } from './topic';
import { VariantIndex, type VariantMatch } from './variants';

export { coverageOf };

/** One retrievable piece of an article: a section, or a part of a long section. */
export interface Passage {
  id: number;
  /** Position of its article in KnowledgeIndex.articles. */
  article: number;
  file: string;
  title: string;
  heading: string;
  text: string;
  tags: string[];
  ref: SourceRef;
}

export interface Hit {
  passage: Passage;
  /** MiniSearch BM25 score. */
  score: number;
  /** Rarity-weighted share of the question's typed words this passage matches (any field). */
  coverage: number;
  /** How well the question's heaviest (rarest) word is matched: 1 itself, 0.8 synonym, 0.5 part, 0 not. */
  key: number;
}

/** What retrieval found for one question, plus the signals the answer/decline decision uses. */
export interface Retrieval {
  hits: Hit[];
  /** The analysed question. */
  terms: QueryTerm[];
  /** Weight (rarity) of each typed word, keyed by its origin index. */
  weights: Map<number, number>;
  /** Topic words in the question (stop words removed). */
  typedWords: number;
  /** English function words seen: two or more mark the question as English. */
  englishWords: number;
  /** Weight of each typed word by where it stood: 1 in a question sentence, less in the story around it. */
  focus: number[];
  /** Best question variant per article, best first (only articles whose variants share a word). */
  variants: VariantMatch[];
  /** The topic model's reading (which article, or none); absent when the knowledge base is too large for it. */
  topic?: TopicGuess;
}

/** What the index keeps of an article besides its passages. */
export interface ArticleInfo {
  id: string;
  file: string;
  title: string;
  emergency: boolean;
  /** `programme: <id>` of the article: its answers carry that programme's validity caveat. */
  programme?: string;
  /** Passage ids of the article, in reading order. */
  passages: number[];
}

/** The fields MiniSearch knows for a passage (filled by bulkLoad with analysed terms). */
interface IndexedPassage {
  id: number;
  head: string;
  tags: string;
  text: string;
}

/** The story around the question sentences weighs at most this share of them (message.ts). */
const STORY_CAP = 0.5;
/** Passages a query may touch in the index, summed over its terms (see withinBudget). */
const POSTINGS_BUDGET = 3000;
/** Candidates re-ranked when the search left common terms out, and how much those terms count. */
const RERANK_CANDIDATES = 50;
const RERANK_WEIGHT = 3;
/** Weight of a place name the articles do not use, relative to its rarity (places.ts). */
const PLACE_WEIGHT = 0.2;
/** The topic model's first choice joins the hits when it is at least this probable (topicChoiceHit). */
const TOPIC_HIT_MIN = 0.5;
/** Typed words per question that get prefix and typo matching. */
const MAX_LOOSE_TERMS = 2;

/** Index fields: article title + section heading, article tags, passage text. */
const FIELDS = ['head', 'tags', 'text'] as const;

/** Passages are sections, cut further only when a section is long; answers stay readable. */
const CHUNK_SIZE = 900;

/**
 * German full-text index over passages (MiniSearch + GermanAnalyzer). Built once at start-up;
 * searching is synchronous and allocation-light, so it stays fast at 10,000 articles.
 */
export class KnowledgeIndex {
  private readonly search: FastMiniSearch<IndexedPassage>;
  private readonly docFreq = new Map<string, number>();
  private variantIndex?: VariantIndex;
  private topicModel?: TopicModel;
  /** Terms of place names the passages do not contain (places.ts): context, not topic. */
  private readonly places = new Set<string>();

  private constructor(
    readonly passages: Passage[],
    private readonly analyzerInstance: GermanAnalyzer,
    readonly articles: ArticleInfo[],
  ) {
    this.search = new FastMiniSearch<IndexedPassage>(FIELDS, {
      storeFields: [],
      // Queries arrive analysed (see retrieve) as space-separated terms; documents are bulk-loaded.
      tokenize: (text) => (text ? text.split(' ') : []),
      processTerm: (term) => term,
    });
  }

  /**
   * `outOfScope`: example messages the knowledge base does not answer (knowledge/out-of-scope.yaml),
   * for the topic model's class "none of the articles". `places`: names of Kommunen and Landkreise
   * (places.ts), words of them the passages do not use count as context in coverage.
   */
  static async build(articles: Article[], expansions?: Expansions, outOfScope: readonly string[] = [], places: readonly string[] = []): Promise<KnowledgeIndex> {
    const analyzer = new GermanAnalyzer(expansions);
    const splitter = new RecursiveCharacterTextSplitter({ chunkSize: CHUNK_SIZE, chunkOverlap: 0, separators: ['\n\n', '\n', '. ', ' '] });
    const passages: Passage[] = [];
    const infos: ArticleInfo[] = [];
    // Pass 1: tokenise every text once into ids of distinct words, all in one flat array
    // (fields of each passage one after another), and teach the compound splitter the
    // vocabulary word by word.
    const wordIds = new Map<string, number>();
    const wordList: string[] = [];
    const stream = new IntList();
    /** Start of each (passage, field) in stream, plus the end. */
    const fieldStart = new IntList();
    const append = (list: readonly string[]) => {
      for (const w of list) {
        let id = wordIds.get(w);
        if (id === undefined) {
          id = wordList.length;
          wordIds.set(w, id);
          wordList.push(w);
          analyzer.learnWords([w]);
        }
        stream.push(id);
      }
    };
    for (const [articleNo, article] of articles.entries()) {
      const info: ArticleInfo = { id: articleIdOf(article.file), file: article.file, title: article.title, emergency: article.emergency === true, programme: article.programme, passages: [] };
      infos.push(info);
      const title = words(article.title);
      const tags = words(article.tags.join(' '));
      for (const section of article.sections) {
        const heading = section.heading === article.title ? [] : words(section.heading);
        const chunks = section.text.length <= CHUNK_SIZE ? [section.text] : await splitter.splitText(section.text);
        for (const chunk of chunks) {
          fieldStart.push(stream.length);
          append(title);
          append(heading);
          fieldStart.push(stream.length);
          append(tags);
          fieldStart.push(stream.length);
          append(words(chunk));
          info.passages.push(passages.length);
          passages.push({
            id: passages.length,
            article: articleNo,
            file: article.file,
            title: article.title,
            heading: section.heading,
            text: chunk,
            tags: article.tags,
            ref: section.ref,
          });
        }
      }
    }
    fieldStart.push(stream.length);
    wordIds.clear();
    // Pass 2 (vocabulary complete): each distinct word is analysed once into term ids.
    const termIds = new Map<string, number>();
    const termList: string[] = [];
    const wordTermStart = new Int32Array(wordList.length + 1);
    const wordTerms = new IntList();
    wordList.forEach((w, i) => {
      for (const t of analyzer.termsOfWord(w)) {
        let id = termIds.get(t);
        if (id === undefined) {
          id = termList.length;
          termIds.set(t, id);
          termList.push(t);
        }
        wordTerms.push(id);
      }
      wordTermStart[i + 1] = wordTerms.length;
    });
    termIds.clear();
    const termsOfWord = wordTerms.array();
    // Pass 3: passages as term ids (again one flat array), document frequencies per term id.
    const wordStream = stream.array();
    let total = 0;
    for (const w of wordStream) total += wordTermStart[w + 1] - wordTermStart[w];
    const docTerms = new IntList(total);
    const docFieldStart = new Int32Array(fieldStart.length);
    const df = new Int32Array(termList.length);
    const lastPassage = new Int32Array(termList.length).fill(-1);
    const starts = fieldStart.array();
    for (let f = 0; f + 1 < starts.length; f++) {
      const passage = Math.floor(f / FIELDS.length);
      docFieldStart[f] = docTerms.length;
      for (let i = starts[f]; i < starts[f + 1]; i++) {
        const w = wordStream[i];
        for (let j = wordTermStart[w]; j < wordTermStart[w + 1]; j++) {
          const t = termsOfWord[j];
          docTerms.push(t);
          if (lastPassage[t] !== passage) {
            lastPassage[t] = passage;
            df[t]++;
          }
        }
      }
    }
    docFieldStart[starts.length - 1] = docTerms.length;
    const flat = docTerms.array();
    const index = new KnowledgeIndex(passages, analyzer, infos);
    index.search.bulkLoad(termList, {
      count: passages.length,
      id: (doc) => doc,
      terms: (doc, field) => flat.subarray(docFieldStart[doc * FIELDS.length + field], docFieldStart[doc * FIELDS.length + field + 1]),
    });
    for (let t = 0; t < termList.length; t++) if (df[t] > 0) index.docFreq.set(termList[t], df[t]);
    for (const w of places) {
      const t = termOf(w);
      if (t && !index.docFreq.has(t)) index.places.add(t);
    }
    index.variantIndex = new VariantIndex(articles.map((a) => ({ questions: a.questions ?? [] })), analyzer, (t) => index.idf(t));
    if (articles.length > 0 && articles.length <= TOPIC_MAX_ARTICLES) {
      const sentences = (text: string) => sentencesWithLines(text).map((x) => x.text);
      const examples = articles.flatMap((a, label) => articleTexts(a, sentences).map((t) => ({ text: index.analyse(t), label })));
      for (const t of outOfScope) examples.push({ text: index.analyse(t), label: -1 });
      index.topicModel = TopicModel.train(articles.length, examples);
    }
    return index;
  }

  get analyzer(): GermanAnalyzer {
    return this.analyzerInstance;
  }

  /** Rarity of a term in the index: high for words few passages contain. */
  idf(term: string): number {
    return Math.log(1 + this.passages.length / (1 + (this.docFreq.get(term) ?? 0)));
  }

  /** The article with this id (file name without .md), if any. */
  article(id: string): ArticleInfo | undefined {
    return this.articles.find((a) => a.id === id);
  }

  /**
   * The analysed message: each segment (question sentences, story) analysed on its own, typed
   * words numbered across segments, with the segment's weight per typed word.
   */
  analyse(question: string): { terms: QueryTerm[]; typed: number; english: number; focus: number[] } {
    const terms: QueryTerm[] = [];
    const focus: number[] = [];
    let typed = 0;
    let english = 0;
    for (const seg of focusSegments(question)) {
      const r = this.analyzerInstance.queryTerms(seg.text);
      for (const t of r.terms) terms.push({ ...t, origin: t.origin + typed });
      for (let i = 0; i < r.typed; i++) focus.push(seg.weight);
      typed += r.typed;
      english += r.english;
    }
    return { terms, typed, english, focus };
  }

  /**
   * However long the story, it weighs at most STORY_CAP of the question sentences (by rarity):
   * lowers the story words' focus in place when their weight would be more.
   */
  private capStory(terms: QueryTerm[], focus: number[]): void {
    let asked = 0;
    let story = 0;
    const seen = new Set<number>();
    for (const t of terms) {
      if (t.origin < 0 || seen.has(t.origin)) continue;
      seen.add(t.origin);
      const w = this.idf(t.term) * focus[t.origin];
      if (focus[t.origin] === 1) asked += w;
      else story += w;
    }
    if (asked === 0 || story <= STORY_CAP * asked) return;
    const factor = (STORY_CAP * asked) / story;
    for (let i = 0; i < focus.length; i++) if (focus[i] < 1) focus[i] *= factor;
  }

  /** Top k passages for a question, each with the share of the question it covers. */
  retrieve(question: string, k = 8): Retrieval {
    const { terms, typed, english, focus } = this.analyse(question);
    this.capStory(terms, focus);
    const weights = this.originWeights(terms, focus);
    const variants = this.variantIndex?.match(terms, (o) => focus[o] ?? 1) ?? [];
    const topic = terms.length > 0 ? this.topicModel?.classify({ terms, focus }) : undefined;
    const empty: Retrieval = { hits: [], terms, weights, typedWords: typed, englishWords: english, focus, variants, topic };
    if (terms.length === 0) return empty;
    const searched = this.withinBudget(dedupe(terms, focus));
    const boosts = searched.map((t) => t.boost);
    const focused = searched.map((t) => t.boost * (focus[t.origin] ?? 1));
    // Prefix and typo matching only for typed words the index does not know as a term (an
    // inflection or compound the analyzer could not reduce, or a typo): a known term already
    // matches exactly, and expanding it would touch thousands of passages at 10,000 articles.
    // At most the two longest such words, and none in an English question (its unknown words are
    // English, not German typos): each typo search walks a large part of the term tree.
    const loose = new Set(
      english >= 2
        ? []
        : searched
            .filter((t) => t.boost === 1 && !this.docFreq.has(t.term))
            .sort((a, b) => b.term.length - a.term.length)
            .slice(0, MAX_LOOSE_TERMS)
            .map((t) => t.term),
    );
    const unknown = (term: string, i: number) => boosts[i] === 1 && loose.has(term);
    const results: SearchResult[] = this.search.search(searched.map((t) => t.term).join(' '), {
      boost: { head: 2, tags: 1.5, text: 1 },
      boostTerm: (_term, i) => focused[i] ?? 1,
      prefix: (term, i) => term.length >= 5 && unknown(term, i),
      // One edit for most words, two for long ones: a distance-2 search walks far more of the term tree.
      fuzzy: (term, i) => (term.length >= 6 && unknown(term, i) ? (term.length >= 10 ? 2 : 1) : false),
      weights: { fuzzy: 0.4, prefix: 0.5 },
    });
    const ranked = searched.length === terms.length ? results : this.rerank(results, terms, searched, RERANK_CANDIDATES);
    const top = withVariants(ranked, variants, (id) => this.passages[id].article, RERANK_CANDIDATES * 4).slice(0, k);
    const hits = top.map((r) => ({
      passage: this.passages[r.id as number],
      score: r.score,
      // Matched by the search (incl. prefix and typo matches) or present in the passage (terms
      // left out of the search for cost are looked up in the index directly).
      ...coverageOf(terms, weights, (t) => r.queryTerms.includes(t) || this.search.documentHasTerm(t, r.id) || this.variantHas(r.id as number, t)),
    }));
    const topicHit = this.topicChoiceHit(topic, hits, ranked, terms, weights);
    return { ...empty, terms: [...terms, ...resolvedTypos(terms, top, (t) => this.docFreq.has(t))], hits: topicHit ? [...hits, topicHit] : hits };
  }

  /**
   * The topic model's confident first choice among the hits: when none of the best k passages is
   * from that article (all from one neighbouring article, say), its best passage (by search score,
   * else by coverage) is added, so the choice of the article and the decision can weigh it too.
   */
  private topicChoiceHit(topic: TopicGuess | undefined, hits: Hit[], ranked: SearchResult[], terms: QueryTerm[], weights: Map<number, number>): Hit | undefined {
    if (!topic || hits.length === 0) return undefined;
    let first = 0;
    for (let a = 1; a < topic.articles.length; a++) if (topic.articles[a] > topic.articles[first]) first = a;
    if (topic.articles[first] < TOPIC_HIT_MIN || hits.some((h) => h.passage.article === first)) return undefined;
    const candidates = this.articles[first].passages.map((id) => {
      const r = ranked.find((x) => x.id === id);
      const has = (t: string) => (r?.queryTerms.includes(t) ?? false) || this.search.documentHasTerm(t, id) || this.variantHas(id, t);
      return { passage: this.passages[id], score: r?.score ?? 0, ...coverageOf(terms, weights, has) };
    });
    return candidates.reduce((a, b) => (b.score > a.score || (b.score === a.score && b.coverage > a.coverage) ? b : a));
  }

  /** Whether the question variants of the passage's article contain the term. */
  private variantHas(passage: number, term: string): boolean {
    return this.variantIndex?.articleHas(this.passages[passage].article, term) ?? false;
  }

  /** The passages of one article as hits (for an answer from an article the person chose). */
  retrieveIn(question: string, articleNo: number): Retrieval {
    const r = this.retrieve(question, 0);
    const info = this.articles[articleNo];
    const hits = info.passages.map((id) => ({
      passage: this.passages[id],
      score: 1,
      ...coverageOf(r.terms, r.weights, (t) => this.search.documentHasTerm(t, id) || this.variantHas(id, t)),
    }));
    return { ...r, hits };
  }

  /**
   * The query terms MiniSearch looks up: typed words first, then expansions, each group rarest
   * first, while the passages they occur in stay within POSTINGS_BUDGET. Every term costs one
   * step per passage containing it; a word in half of 30,000 passages adds little to the
   * ranking (low IDF) but most of the time. In a knowledge base of a few hundred passages
   * nothing is left out. Terms left out still count for coverage and sentence choice, which
   * look at the retrieved passages themselves.
   */
  private withinBudget(terms: QueryTerm[]): QueryTerm[] {
    const order = terms
      .map((t, i) => ({ i, typed: t.boost === 1, df: this.docFreq.get(t.term) ?? 0 }))
      .sort((a, b) => Number(b.typed) - Number(a.typed) || a.df - b.df);
    const keep = new Set<number>();
    let spent = 0;
    for (const o of order) {
      if (spent > 0 && spent + o.df > POSTINGS_BUDGET) continue;
      keep.add(o.i);
      spent += o.df;
    }
    return keep.size === terms.length ? terms : terms.filter((_, i) => keep.has(i));
  }

  /**
   * When terms were left out of the search, the best candidates are re-ranked by how much of
   * the left-out part of the question (rarity-weighted) each of them contains.
   */
  private rerank(results: SearchResult[], terms: QueryTerm[], searched: QueryTerm[], k: number): SearchResult[] {
    const inSearch = new Set(searched);
    const left = terms.filter((t) => !inSearch.has(t));
    const total = left.reduce((sum, t) => sum + t.boost * this.idf(t.term), 0) || 1;
    return results
      .slice(0, RERANK_CANDIDATES)
      .map((r) => {
        const found = left.reduce((sum, t) => sum + (this.search.documentHasTerm(t.term, r.id) ? t.boost * this.idf(t.term) : 0), 0);
        return { r, score: r.score * (1 + RERANK_WEIGHT * (found / total)) };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, k)
      .map((x) => ({ ...x.r, score: x.score }));
  }

  /**
   * Weight of each typed word (by its index in the question): its rarity in the index. A word
   * that appears nowhere in the knowledge base weighs most, so a question about "Grundsteuer in
   * Buseck" is not answered just because "Buseck" is known.
   */
  private originWeights(terms: QueryTerm[], focus: number[]): Map<number, number> {
    const weights = new Map<number, number>();
    for (const t of terms) {
      if (t.origin >= 0 && !weights.has(t.origin)) weights.set(t.origin, this.idf(t.term) * (focus[t.origin] ?? 1) * (this.places.has(t.term) ? PLACE_WEIGHT : 1));
    }
    return weights;
  }
}

/** "articles/kdlz-cs-heute.md" → "kdlz-cs-heute". */
export function articleIdOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.endsWith('.md') ? base.slice(0, -3) : base;
}
