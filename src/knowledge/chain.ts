import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import { type RunnableConfig, RunnableLambda, RunnableSequence } from '@langchain/core/runnables';
import { chooseArticle, type Decision, DECISION, decide, decisionSignals, type DecisionSignals, isPromptInjection } from './decide';
import { type Composition, composeAnswer } from './compose';
import { askModel, type LlmResult } from './llm';
import type { Hit, KnowledgeIndex, Retrieval } from './retriever';

export interface GermanRetrieverInput extends BaseRetrieverInput {
  index: KnowledgeIndex;
  /** How many passages to return. */
  k?: number;
}

/**
 * LangChain retriever over the German index. Each document's metadata carries its source, date
 * and score, so chains can cite by position, and the whole retrieval (hits, analysed question,
 * variant matches) under `retrieval`, which the answer chain's decision reads.
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
    return toDocuments(this.index.retrieve(query, this.k));
  }
}

function toDocuments(retrieval: Retrieval): Document[] {
  return retrieval.hits.map(
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
          coverage: h.coverage,
          retrieval,
        },
      }),
  );
}

/** What the chain is asked: a question, optionally restricted to one article (a clarification the person answered). */
export interface ChainInput {
  question: string;
  /** Article index: answer from this article only (no decision, the person chose it). */
  article?: number;
}

/** What the chain found and decided; the service turns it into a KnowledgeAnswer. */
export interface ChainOutput {
  question: string;
  retrieval: Retrieval;
  /** The extractive answer from the article chosen (sections quoted, each with its passage). */
  composition?: Composition;
  signals: DecisionSignals;
  /** 'injection': declined before retrieval; 'emergency': the best match is the first-aid article. */
  decision: Decision | 'emergency' | 'injection';
  /** Set when a model answered (or refused); absent for extractive answers. */
  model?: { result: LlmResult; passages: Hit[] };
}

export interface ChainOptions {
  index: KnowledgeIndex;
  retriever: GermanRetriever;
  /** Passages retrieved per question (candidates for the extractive answer). */
  k: number;
  model?: BaseChatModel;
  /** Passages the model sees. */
  modelPassages: number;
  /** Per-call limit for the model; after it the extractive answer is used. */
  modelTimeoutMs: number;
}

const NO_SIGNALS: DecisionSignals = { coverage: 0, key: 0, score: 0, variant: 0, runnerUp: 0 };

/**
 * The answer as a LangChain Runnable: retriever (GermanRetriever) → decision (answer, clarify,
 * decline, emergency) → answer (extractive, or the model when configured, with its own timeout
 * through RunnableConfig; the caller's signal cancels the whole chain).
 */
export function buildAnswerChain(o: ChainOptions): RunnableSequence<ChainInput, ChainOutput> {
  const retrieve = RunnableLambda.from(async (input: ChainInput, config?: RunnableConfig): Promise<{ input: ChainInput; retrieval?: Retrieval }> => {
    if (input.article !== undefined) return { input, retrieval: o.index.retrieveIn(input.question, input.article) };
    if (isPromptInjection(input.question)) return { input };
    const docs = await o.retriever.invoke(input.question, config);
    // The retriever's documents share one retrieval; with no document, analyse the question alone.
    const retrieval = (docs[0]?.metadata.retrieval as Retrieval | undefined) ?? o.index.retrieve(input.question, 0);
    return { input, retrieval };
  }).withConfig({ runName: 'retrieve' });

  const decideStep = RunnableLambda.from(({ input, retrieval }: { input: ChainInput; retrieval?: Retrieval }): ChainOutput => {
    if (!retrieval) {
      const empty: Retrieval = { hits: [], terms: [], weights: new Map(), typedWords: 0, englishWords: 0, focus: [], variants: [] };
      return { question: input.question, retrieval: empty, signals: NO_SIGNALS, decision: 'injection' };
    }
    const article = input.article ?? chooseArticle(retrieval);
    const composition = article === undefined ? undefined : composeAnswer(o.index, input.question, retrieval, article);
    const signals = decisionSignals(retrieval, article);
    if (input.article !== undefined) return { question: input.question, retrieval, composition, signals, decision: composition ? 'answer' : 'decline' };
    let decision: ChainOutput['decision'] = composition ? decide(signals) : 'decline';
    // An incident told in any words lands on the first-aid article: it gets the first-aid answer,
    // also when the match is only good enough for a clarification, and, when the topic model
    // chose that article, whatever the coverage (an incident is never declined for its wording).
    const firstAid = article !== undefined && o.index.articles[article]?.emergency;
    const chosenByTopic = signals.out !== undefined && signals.out < DECISION.maxOut && (signals.topic ?? 0) >= DECISION.firstAidTopic;
    if (firstAid && (decision !== 'decline' || chosenByTopic)) decision = 'emergency';
    return { question: input.question, retrieval, composition, signals, decision };
  }).withConfig({ runName: 'decide' });

  const answer = RunnableLambda.from(async (state: ChainOutput, config?: RunnableConfig): Promise<ChainOutput> => {
    if (state.decision !== 'answer' || !o.model) return state;
    const passages = state.retrieval.hits.slice(0, o.modelPassages);
    const result = await askModel(o.model, state.question, passages, { signal: config?.signal, timeout: o.modelTimeoutMs });
    return { ...state, model: { result, passages } };
  }).withConfig({ runName: 'answer' });

  return RunnableSequence.from<ChainInput, ChainOutput>([retrieve, decideStep, answer], { name: 'kdlz-knowledge-answer' });
}
