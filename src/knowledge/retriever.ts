import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import { Document } from '@langchain/core/documents';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import MiniSearch, { type SearchResult } from 'minisearch';
import { Expansions, GermanAnalyzer } from './analyzer';
import type { Article, SourceRef } from './articles';

/** One retrievable piece of an article: a section, or a part of a long section. */
export interface Passage {
  id: number;
  file: string;
  title: string;
  heading: string;
  text: string;
  tags: string[];
  ref: SourceRef;
}

export interface Hit {
  passage: Passage;
  score: number;
}

/** What retrieval found for one question, plus the signals the answer/decline decision uses. */
export interface Retrieval {
  hits: Hit[];
  /** Share of the question's topic words (weighted by rarity) that the best passage matches. */
  coverage: number;
  /** Topic words in the question (stop words removed). */
  typedWords: number;
  /** English function words seen: two or more mark the question as English. */
  englishWords: number;
}

/** Passages are sections, cut further only when a section is long; answers stay readable. */
const CHUNK_SIZE = 900;
/** Passages whose matches count for coverage: a question may combine an article's title and a sentence. */
const COVERAGE_DEPTH = 2;

/**
 * German full-text index over passages (MiniSearch + GermanAnalyzer). Built once at start-up;
 * searching is synchronous and allocation-light, so it stays fast at 10,000 articles.
 */
export class KnowledgeIndex {
  private readonly search: MiniSearch<Passage>;
  private readonly docFreq = new Map<string, number>();

  private constructor(
    readonly passages: Passage[],
    private readonly analyzerInstance: GermanAnalyzer,
  ) {
    this.search = new MiniSearch<Passage>({
      fields: ['title', 'tags', 'text'],
      storeFields: [],
      // Documents arrive already analysed (see build), as space-separated terms per field.
      tokenize: (text) => (text ? text.split(' ') : []),
      processTerm: (term) => term,
      searchOptions: { tokenize: (q) => q.split(' '), processTerm: (t) => t },
    });
  }

  static async build(articles: Article[], expansions?: Expansions): Promise<KnowledgeIndex> {
    const analyzer = new GermanAnalyzer(expansions);
    const splitter = new RecursiveCharacterTextSplitter({ chunkSize: CHUNK_SIZE, chunkOverlap: 0, separators: ['\n\n', '\n', '. ', ' '] });
    const passages: Passage[] = [];
    for (const article of articles) {
      analyzer.learn(`${article.title} ${article.tags.join(' ')}`);
      for (const section of article.sections) {
        analyzer.learn(`${section.heading}\n${section.text}`);
        const chunks = section.text.length <= CHUNK_SIZE ? [section.text] : await splitter.splitText(section.text);
        for (const chunk of chunks) {
          passages.push({
            id: passages.length,
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
    const index = new KnowledgeIndex(passages, analyzer);
    // Each text is analysed once: the terms feed both MiniSearch and the document frequencies.
    const analysed = passages.map((p) => {
      const fields = {
        id: p.id,
        title: analyzer.terms(`${p.title} ${p.heading}`).join(' '),
        tags: analyzer.terms(p.tags.join(' ')).join(' '),
        text: analyzer.terms(p.text).join(' '),
      };
      for (const term of new Set(`${fields.title} ${fields.tags} ${fields.text}`.split(' '))) {
        if (term) index.docFreq.set(term, (index.docFreq.get(term) ?? 0) + 1);
      }
      return fields;
    });
    index.search.addAll(analysed as unknown as Passage[]);
    return index;
  }

  get analyzer(): GermanAnalyzer {
    return this.analyzerInstance;
  }

  /** Rarity of a term in the index: high for words few passages contain. */
  idf(term: string): number {
    return Math.log(1 + this.passages.length / (1 + (this.docFreq.get(term) ?? 0)));
  }

  /** Top k passages for a question, with the coverage signal of the best one. */
  retrieve(question: string, k = 5): Retrieval {
    const { terms, typed, english } = this.analyzerInstance.queryTerms(question);
    if (terms.length === 0) return { hits: [], coverage: 0, typedWords: typed, englishWords: english };
    const boosts = terms.map((t) => t.boost);
    const results: SearchResult[] = this.search.search(terms.map((t) => t.term).join(' '), {
      boost: { title: 2, tags: 1.5, text: 1 },
      boostTerm: (_term, i) => boosts[i] ?? 1,
      // Prefix and typo matching only for what the user typed, and typo matching only for words
      // the index does not know: this keeps a query cheap at 10,000 articles.
      prefix: (term, i) => term.length >= 5 && boosts[i] === 1,
      fuzzy: (term, i) => (term.length >= 6 && boosts[i] === 1 && !this.docFreq.has(term) ? 0.2 : false),
      maxFuzzy: 2,
      weights: { fuzzy: 0.4, prefix: 0.5 },
    });
    const hits = results.slice(0, k).map((r) => ({ passage: this.passages[r.id as number], score: r.score }));
    return { hits, coverage: this.coverage(terms, results.slice(0, COVERAGE_DEPTH)), typedWords: typed, englishWords: english };
  }

  /**
   * Rarity-weighted share of typed words that the best passages matched (directly, by prefix,
   * typo or expansion). A word that appears nowhere in the knowledge base weighs most, so a
   * question about "Grundsteuer in Buseck" is not answered just because "Buseck" is known.
   */
  private coverage(terms: { term: string; origin: number }[], top: SearchResult[]): number {
    const matched = new Set(top.flatMap((r) => r.queryTerms));
    const n = this.passages.length;
    const weight = new Map<number, number>();
    const covered = new Set<number>();
    for (const t of terms) {
      if (t.origin < 0) continue;
      if (!weight.has(t.origin)) {
        const df = this.docFreq.get(t.term) ?? 0;
        weight.set(t.origin, Math.log(1 + n / (1 + df)));
      }
      if (matched.has(t.term)) covered.add(t.origin);
    }
    let total = 0;
    let got = 0;
    for (const [origin, w] of weight) {
      total += w;
      if (covered.has(origin)) got += w;
    }
    return total > 0 ? got / total : 0;
  }
}

export interface GermanRetrieverInput extends BaseRetrieverInput {
  index: KnowledgeIndex;
  /** How many passages to return. */
  k?: number;
}

/**
 * LangChain retriever over the German index. Each document's metadata carries its source,
 * date and score, so chains can cite by position.
 */
export class GermanRetriever extends BaseRetriever {
  override lc_namespace = ['kdlz', 'knowledge', 'retrievers'];
  /** The index searched; shared with the extractive answerer. */
  readonly index: KnowledgeIndex;
  /** Passages per query. */
  readonly k: number;

  constructor(fields: GermanRetrieverInput) {
    super(fields);
    this.index = fields.index;
    this.k = fields.k ?? 5;
  }

  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const { hits, coverage } = this.index.retrieve(query, this.k);
    return hits.map(
      (h) =>
        new Document({
          pageContent: h.passage.text,
          metadata: {
            id: h.passage.id,
            file: h.passage.file,
            title: h.passage.title,
            heading: h.passage.heading,
            source: h.passage.ref.source,
            url: h.passage.ref.url,
            asOf: h.passage.ref.asOf,
            asOfNote: h.passage.ref.asOfNote,
            score: h.score,
            coverage,
          },
        }),
    );
  }
}
