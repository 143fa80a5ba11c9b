import path from 'node:path';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { knowledgeDir as defaultKnowledgeDir } from '../paths';
import type { Db } from '../storage/db';
import { type Article, loadArticles } from './articles';
import { decisionSignals, isPromptInjection, shouldAnswer } from './decide';
import { chooseAnswer } from './extract';
import { Lexicon } from './lexicon';
import { askModel, createChatModel, type LlmOptions } from './llm';
import { GermanRetriever, KnowledgeIndex, type Hit } from './retriever';
import { DeclineReason, KnowledgeStore, knowledgeMigrations } from './store';
import { germanStand, KNOWLEDGE_TEXTS } from './texts';

export { knowledgeMigrations };
export { knowledgeLogStore } from './store';
export type { LlmOptions };
export { GermanRetriever, KnowledgeIndex };

export interface Citation {
  position: number;
  /** Article id: the file name without .md (not shown; evaluation and logs). */
  article: string;
  name: string;
  url: string;
  abstract: string;
  asOf: string;
  source: string;
}

export interface KnowledgeAnswer {
  kind: 'answer' | 'decline';
  /** German markdown, short; for 'answer' ends with "Quelle: …, Stand: …". */
  text: string;
  /** Empty for 'decline'. */
  citations: Citation[];
  language: 'de' | 'en';
  /** Retrieval confidence used for the decision (MiniSearch score of the best passage). */
  score: number;
}

export interface KnowledgeService {
  answer(question: string): Promise<KnowledgeAnswer>;
  recordFeedback(f: { question: string; helpful: boolean; answerKind: 'answer' | 'decline'; conversationId?: string }): Promise<void>;
  readonly articleCount: number;
}

export interface KnowledgeServiceOptions {
  /** Where declined questions and feedback are stored; without it they are not kept. */
  db?: Db;
  /** Folder with articles/ and synonyms.yaml; defaults to the project's knowledge/. */
  knowledgeDir?: string;
  /** Optional language model; answers stay extractive without it. */
  llm?: LlmOptions;
  logger?: { warn(...a: unknown[]): void };
}

const ABSTRACT_CHARS = 240;
/** Passages retrieved per question: candidates for the extractive answer (the model sees the first 4). */
const RETRIEVE_K = 8;

function abstractOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= ABSTRACT_CHARS ? flat : `${flat.slice(0, ABSTRACT_CHARS - 1).replace(/\s+\S*$/, '')} …`;
}

/** "articles/kdlz-cs-heute.md" → "kdlz-cs-heute". */
export function articleId(file: string): string {
  return path.basename(file, '.md');
}

function citationOf(hit: Hit, position: number): Citation {
  const p = hit.passage;
  return {
    position,
    article: articleId(p.file),
    name: p.heading === p.title ? p.title : `${p.title} – ${p.heading}`,
    url: p.ref.url,
    abstract: abstractOf(p.text),
    asOf: germanStand(p.ref.asOf, p.ref.asOfNote),
    source: p.ref.source,
  };
}

class DefaultKnowledgeService implements KnowledgeService {
  private readonly store?: KnowledgeStore;
  private readonly model?: BaseChatModel;
  readonly retriever: GermanRetriever;

  constructor(
    private readonly index: KnowledgeIndex,
    readonly articleCount: number,
    private readonly opts: KnowledgeServiceOptions,
  ) {
    this.store = opts.db ? new KnowledgeStore(opts.db) : undefined;
    this.model = opts.llm ? createChatModel(opts.llm) : undefined;
    this.retriever = new GermanRetriever({ index, k: 4 });
  }

  async answer(question: string): Promise<KnowledgeAnswer> {
    const q = question.trim().slice(0, 1000);
    if (!q) return this.decline(q, 'empty', 'de', 0, 0);
    if (isPromptInjection(q)) return this.decline(q, 'injection', 'de', 0, 0);
    const retrieval = this.index.retrieve(q, RETRIEVE_K);
    const language = retrieval.englishWords >= 2 ? 'en' : 'de';
    const choice = chooseAnswer(this.index, q, retrieval);
    const { score, coverage } = decisionSignals(retrieval, choice);
    if (!choice || !shouldAnswer({ score, coverage })) return this.decline(q, 'no-match', language, score, coverage);

    if (this.model && this.opts.llm) {
      const passages = retrieval.hits.slice(0, this.retriever.k);
      const result = await askModel(this.model, q, passages, this.opts.llm.timeoutMs ?? 8000);
      if (result.kind === 'no-info') return this.decline(q, 'model-declined', language, score, coverage);
      if (result.kind === 'answer') {
        const citations = result.positions.map((pos, i) => citationOf(passages[pos - 1], i + 1));
        const sources = citations.map((c) => `[${c.position}] ${c.source}, Stand: ${c.asOf}`);
        const body = `${result.text}\n\n${KNOWLEDGE_TEXTS.sourcesLine(sources)}`;
        return { kind: 'answer', text: this.mark(body, language), citations, language, score };
      }
      this.opts.logger?.warn({ reason: result.reason }, 'knowledge: model answer unusable, using extractive answer');
    }
    const citation = citationOf(choice.hit, 1);
    const body = `${choice.text}\n\n${KNOWLEDGE_TEXTS.sourceLine(citation.source, citation.asOf)}`;
    return { kind: 'answer', text: this.mark(body, language), citations: [citation], language, score };
  }

  async recordFeedback(f: { question: string; helpful: boolean; answerKind: 'answer' | 'decline'; conversationId?: string }): Promise<void> {
    if (!this.store) return;
    await this.store.recordFeedback(f);
  }

  private mark(text: string, language: 'de' | 'en'): string {
    return language === 'en' ? `${KNOWLEDGE_TEXTS.englishMarker} ${text}` : text;
  }

  private async decline(question: string, reason: DeclineReason, language: 'de' | 'en', score: number, coverage: number): Promise<KnowledgeAnswer> {
    if (this.store && reason !== 'empty') {
      try {
        await this.store.recordDeclined(question, reason, score, coverage);
      } catch (e) {
        // The reply matters more than the log; the question text stays out of application logs.
        this.opts.logger?.warn({ err: (e as Error).message }, 'knowledge: could not record declined question');
      }
    }
    const text = reason === 'injection' ? KNOWLEDGE_TEXTS.declineInjection : KNOWLEDGE_TEXTS.decline;
    return { kind: 'decline', text: this.mark(text, language), citations: [], language, score };
  }
}

/** Loads the articles and synonyms, builds the index; fails loudly on invalid articles. */
export async function createKnowledgeService(opts: KnowledgeServiceOptions = {}): Promise<KnowledgeService> {
  const dir = opts.knowledgeDir ?? defaultKnowledgeDir();
  const { articles, problems } = loadArticles(dir);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n');
    throw new Error(`knowledge base has ${problems.length} problem(s); run npm run kb:check\n${list}`);
  }
  return buildKnowledgeService(articles, Lexicon.fromFile(path.join(dir, 'synonyms.yaml')), opts);
}

/** The same service over articles already in memory (benchmarks with synthetic articles). */
export async function buildKnowledgeService(articles: Article[], lexicon: Lexicon, opts: KnowledgeServiceOptions = {}): Promise<KnowledgeService> {
  const index = await KnowledgeIndex.build(articles, lexicon);
  return new DefaultKnowledgeService(index, articles.length, opts);
}
