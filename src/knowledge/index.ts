import { existsSync } from 'node:fs';
import path from 'node:path';
import { programmeNotice } from '../eligibility';
import { loadProgrammes, type Programme } from '../eligibility/programmes';
import { knowledgeDir as defaultKnowledgeDir } from '../paths';
import type { Db } from '../storage/db';
import { type Article, loadArticles } from './articles';
import { buildAnswerChain, type ChainOutput, GermanRetriever } from './chain';
import { firstAidText } from './first-aid';
import { Lexicon } from './lexicon';
import { createChatModel, type LlmOptions } from './llm';
import { loadOutOfScope } from './out-of-scope';
import { readPlaceWords } from './places';
import { articleIdOf, KnowledgeIndex } from './retriever';
import { DeclineReason, KnowledgeStore, knowledgeMigrations } from './store';
import { type Citation, citationOf, renderAnswer } from './render';
import { germanStand, KNOWLEDGE_TEXTS } from './texts';

export { knowledgeMigrations };
export { knowledgeLogStore } from './store';
export type { Citation };
export type { LlmOptions };
export { GermanRetriever, KnowledgeIndex };

export type AnswerKind = 'answer' | 'clarify' | 'decline' | 'emergency';

export interface KnowledgeAnswer {
  /**
   * 'answer': cited, from the knowledge base. 'clarify': not sure; `options` are the articles to
   * choose from, nothing is claimed or cited. 'decline': nothing relevant; says where to ask a
   * person. 'emergency': the fixed first-aid answer (firstAid()).
   */
  kind: AnswerKind;
  /** German markdown, short; for 'answer' ends with "Quelle: …, Stand: …". */
  text: string;
  /** Empty for 'clarify' and 'decline'. */
  citations: Citation[];
  /** For 'clarify': the 2–3 best articles, best first. */
  options?: { articleId: string; title: string }[];
  language: 'de' | 'en';
  /** Retrieval confidence used for the decision (MiniSearch score of the best passage). */
  score: number;
}

export interface AnswerCallOptions {
  /** Cancels the answer (the turn was abandoned); the chain stops and the call rejects. */
  signal?: AbortSignal;
}

export interface KnowledgeService {
  answer(question: string, call?: AnswerCallOptions): Promise<KnowledgeAnswer>;
  /** The answer from one article the person chose from a clarification; a decline if the id is unknown. */
  answerFrom(articleId: string, question: string, call?: AnswerCallOptions): Promise<KnowledgeAnswer>;
  /** The fixed, sourced first-aid answer for an incident (kind 'emergency'). */
  firstAid(): KnowledgeAnswer;
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
  /**
   * Programme rules (knowledge/programmes) for the validity caveat of answers from articles marked
   * `programme: <id>`; createKnowledgeService reads them from the knowledge folder.
   */
  programmes?: readonly Programme[];
  /** The clock for that caveat (tests set a day); defaults to now. */
  now?: () => Date;
}

/** Passages retrieved per question: candidates for the extractive answer (the model sees the first 4). */
const RETRIEVE_K = 8;
const MODEL_PASSAGES = 4;
/** Articles offered in a clarification. */
const CLARIFY_OPTIONS = 3;
/** Longest question the pipeline reads; the edge caps at 2,000 characters already. */
const MAX_QUESTION = 2000;

/** "articles/kdlz-cs-heute.md" → "kdlz-cs-heute". */
export function articleId(file: string): string {
  return articleIdOf(file) || path.basename(file, '.md');
}

class DefaultKnowledgeService implements KnowledgeService {
  private readonly store?: KnowledgeStore;
  readonly retriever: GermanRetriever;
  private readonly chain: ReturnType<typeof buildAnswerChain>;
  private readonly firstAidAnswer: KnowledgeAnswer;

  constructor(
    private readonly index: KnowledgeIndex,
    readonly articleCount: number,
    private readonly opts: KnowledgeServiceOptions,
  ) {
    this.store = opts.db ? new KnowledgeStore(opts.db) : undefined;
    this.retriever = new GermanRetriever({ index, k: RETRIEVE_K });
    this.chain = buildAnswerChain({
      index,
      retriever: this.retriever,
      k: RETRIEVE_K,
      model: opts.llm ? createChatModel(opts.llm) : undefined,
      modelPassages: MODEL_PASSAGES,
      modelTimeoutMs: opts.llm?.timeoutMs ?? 8000,
    });
    this.firstAidAnswer = this.buildFirstAid();
  }

  async answer(question: string, call: AnswerCallOptions = {}): Promise<KnowledgeAnswer> {
    const q = question.trim().slice(0, MAX_QUESTION);
    if (!q) return this.decline(q, 'empty', 'de', 0, 0);
    return this.respond(await this.chain.invoke({ question: q }, { signal: call.signal }));
  }

  async answerFrom(id: string, question: string, call: AnswerCallOptions = {}): Promise<KnowledgeAnswer> {
    const article = this.index.articles.findIndex((a) => a.id === id);
    const q = question.trim().slice(0, MAX_QUESTION);
    if (article < 0) return this.decline(q, 'no-match', 'de', 0, 0);
    if (this.index.articles[article].emergency) return this.firstAid();
    return this.respond(await this.chain.invoke({ question: q || this.index.articles[article].title, article }, { signal: call.signal }));
  }

  firstAid(): KnowledgeAnswer {
    return this.firstAidAnswer;
  }

  async recordFeedback(f: { question: string; helpful: boolean; answerKind: 'answer' | 'decline'; conversationId?: string }): Promise<void> {
    if (!this.store) return;
    await this.store.recordFeedback(f);
  }

  private async respond(out: ChainOutput): Promise<KnowledgeAnswer> {
    const { question, retrieval, composition, signals } = out;
    const language = retrieval.englishWords >= 2 ? 'en' : 'de';
    if (out.decision === 'injection') return this.decline(question, 'injection', 'de', 0, 0);
    if (out.decision === 'emergency') return this.firstAid();
    if (out.decision === 'decline' || !composition) return this.decline(question, 'no-match', language, signals.score, signals.coverage);
    if (out.decision === 'clarify') return this.clarify(out, language);
    const result = out.model?.result;
    if (result?.kind === 'no-info') return this.decline(question, 'model-declined', language, signals.score, signals.coverage);
    if (out.model && result?.kind === 'answer') {
      const cited = result.positions.map((pos) => out.model!.passages[pos - 1].passage);
      const citations = cited.map((p, i) => citationOf(p, i + 1));
      const sources = citations.map((c) => `[${c.position}] ${c.source}, Stand: ${c.asOf}`);
      const body = `${result.text}${this.caveats(cited.map((p) => p.article))}\n\n${KNOWLEDGE_TEXTS.sourcesLine(sources)}`;
      return { kind: 'answer', text: this.mark(body, language), citations, language, score: signals.score };
    }
    if (result?.kind === 'unusable') this.opts.logger?.warn({ reason: result.reason }, 'knowledge: model answer unusable, using extractive answer');
    const { text, citations } = renderAnswer(composition.parts, this.caveats([composition.article]));
    return { kind: 'answer', text: this.mark(text, language), citations, language, score: signals.score };
  }

  /** "Meinen Sie …?" with the best articles: from the passages found and the question variants matched. */
  private async clarify(out: ChainOutput, language: 'de' | 'en'): Promise<KnowledgeAnswer> {
    const order: number[] = [];
    const add = (a: number) => {
      if (!order.includes(a) && order.length < CLARIFY_OPTIONS) order.push(a);
    };
    if (out.composition) add(out.composition.article);
    const hits = out.retrieval.hits;
    const variants = out.retrieval.variants;
    for (let i = 0; order.length < CLARIFY_OPTIONS && (i < hits.length || i < variants.length); i++) {
      if (variants[i] && variants[i].share >= 0.5) add(variants[i].article);
      if (hits[i]) add(hits[i].passage.article);
    }
    const options = order.map((a) => ({ articleId: this.index.articles[a].id, title: this.index.articles[a].title }));
    await this.log(out.question, 'clarified', out.signals.score, out.signals.coverage);
    return { kind: 'clarify', text: language === 'en' ? KNOWLEDGE_TEXTS.clarifyEnglish : KNOWLEDGE_TEXTS.clarify, citations: [], options, language, score: out.signals.score };
  }

  private buildFirstAid(): KnowledgeAnswer {
    const article = this.index.articles.find((a) => a.emergency);
    if (!article) return { kind: 'emergency', text: KNOWLEDGE_TEXTS.firstAidFallback, citations: [], language: 'de', score: 0 };
    const { text, sources } = firstAidText(article.passages.map((id) => this.index.passages[id]));
    return { kind: 'emergency', text, citations: sources.map((s) => citationOf(s.passage, s.position)), language: 'de', score: 0 };
  }

  /**
   * The validity caveat of the programmes the answering articles describe (`programme:` in their
   * front matter), as the programme file words it for today, with its source; '' when none applies.
   */
  private caveats(articles: readonly number[]): string {
    const ids = new Set(articles.map((a) => this.index.articles[a]?.programme).filter((id): id is string => !!id));
    const today = (this.opts.now ?? (() => new Date()))();
    const notes = [...ids].flatMap((id) => {
      const n = programmeNotice(id, today, this.opts.programmes ?? []);
      return n ? [`${n.text} (${KNOWLEDGE_TEXTS.sourceLine(n.source.name, germanStand(n.source.asOf))})`] : [];
    });
    return notes.length > 0 ? `\n\n${notes.join('\n\n')}` : '';
  }

  private mark(text: string, language: 'de' | 'en'): string {
    return language === 'en' ? `${KNOWLEDGE_TEXTS.englishMarker} ${text}` : text;
  }

  private async log(question: string, reason: DeclineReason, score: number, coverage: number): Promise<void> {
    if (!this.store || reason === 'empty') return;
    try {
      await this.store.recordDeclined(question, reason, score, coverage);
    } catch (e) {
      // The reply matters more than the log; the question text stays out of application logs.
      this.opts.logger?.warn({ err: (e as Error).message }, 'knowledge: could not record declined question');
    }
  }

  private async decline(question: string, reason: DeclineReason, language: 'de' | 'en', score: number, coverage: number): Promise<KnowledgeAnswer> {
    await this.log(question, reason, score, coverage);
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
  // Programme files are checked by kb:check (src/eligibility); a knowledge folder without them has no caveats.
  const programmesDir = path.join(dir, 'programmes');
  const programmes = opts.programmes ?? (existsSync(programmesDir) ? loadProgrammes(programmesDir) : []);
  return buildKnowledgeService(articles, Lexicon.fromFile(path.join(dir, 'synonyms.yaml')), { ...opts, programmes }, loadOutOfScope(dir), readPlaceWords(dir));
}

/** The same service over articles already in memory (benchmarks with synthetic articles). */
export async function buildKnowledgeService(articles: Article[], lexicon: Lexicon, opts: KnowledgeServiceOptions = {}, outOfScope: readonly string[] = [], places: readonly string[] = []): Promise<KnowledgeService> {
  const index = await KnowledgeIndex.build(articles, lexicon, outOfScope, places);
  return new DefaultKnowledgeService(index, articles.length, opts);
}

