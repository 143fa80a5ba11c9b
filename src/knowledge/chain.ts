import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import { CallbackManager } from '@langchain/core/callbacks/manager';
import { ensureConfig, Runnable, type RunnableConfig, RunnableLambda, RunnableSequence } from '@langchain/core/runnables';
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
    return toDocuments(this.retrieval(query));
  }

  /** The retrieval itself (hits, analysed question, variant matches), without documents and callbacks. */
  retrieval(query: string): Retrieval {
    return this.index.retrieve(query, this.k);
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

type Retrieved = { input: ChainInput; retrieval?: Retrieval };
type Step<I, O> = (input: I, config: RunnableConfig) => O | Promise<O>;

/**
 * The answer as a LangChain Runnable: retriever (GermanRetriever) → decision (answer, clarify,
 * decline, emergency) → answer (extractive, or the model when configured, with its own timeout
 * through RunnableConfig; the caller's signal, or a `timeout` in the config, cancels the chain).
 *
 * Each step runs as its own LangChain run (a RunnableSequence of the retriever and lambdas) when
 * someone listens: callbacks in the config, or tracing switched on. Otherwise the same steps run
 * one after the other without building callback managers and run trees (the bulk of the chain's
 * cost per question when nobody reads them), stopping between steps when the signal aborts.
 */
export class AnswerChain extends Runnable<ChainInput, ChainOutput> {
  override lc_namespace = ['kdlz', 'knowledge', 'chains'];
  /** The steps as a RunnableSequence, one run per step: used when callbacks or tracing are on. */
  readonly traced: RunnableSequence<ChainInput, ChainOutput>;

  constructor(
    private readonly retriever: GermanRetriever,
    private readonly retrieve: (input: ChainInput, find: (question: string) => Promise<Retrieval | undefined>) => Promise<Retrieved>,
    private readonly decide: Step<Retrieved, ChainOutput>,
    private readonly answer: Step<ChainOutput, ChainOutput>,
  ) {
    super();
    const retrieveStep = RunnableLambda.from((input: ChainInput, config?: RunnableConfig) =>
      this.retrieve(input, async (question) => {
        // The retriever's documents share one retrieval; with no document, analyse the question alone.
        const docs = await this.retriever.invoke(question, config);
        return docs[0]?.metadata.retrieval as Retrieval | undefined;
      }),
    ).withConfig({ runName: 'retrieve' });
    const decideStep = RunnableLambda.from((x: Retrieved, config?: RunnableConfig) => this.decide(x, config ?? {})).withConfig({ runName: 'decide' });
    const answerStep = RunnableLambda.from((x: ChainOutput, config?: RunnableConfig) => this.answer(x, config ?? {})).withConfig({ runName: 'answer' });
    this.traced = RunnableSequence.from<ChainInput, ChainOutput>([retrieveStep, decideStep, answerStep], { name: 'kdlz-knowledge-answer' });
  }

  override async invoke(input: ChainInput, options?: Partial<RunnableConfig>): Promise<ChainOutput> {
    // Merges a parent runnable's config and turns `timeout` into the signal, as every Runnable does.
    const config = ensureConfig(options);
    if (CallbackManager.configure(config.callbacks, undefined, config.tags, undefined, config.metadata)) return this.traced.invoke(input, config);
    const signal = config.signal;
    stopIfAborted(signal);
    const retrieved = await this.retrieve(input, async (question) => this.retriever.retrieval(question));
    stopIfAborted(signal);
    const decided = await this.decide(retrieved, config);
    stopIfAborted(signal);
    const answered = await this.answer(decided, config);
    // A model call cut short by the signal ends as 'unusable'; the cancelled call rejects, as the sequence does.
    stopIfAborted(signal);
    return answered;
  }
}

/** Rejects with the signal's reason once it has aborted, as LangChain's steps do. */
function stopIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'Aborted');
}

/** The answer chain over the index (see AnswerChain). */
export function buildAnswerChain(o: ChainOptions): AnswerChain {
  const retrieve = async (input: ChainInput, find: (question: string) => Promise<Retrieval | undefined>): Promise<Retrieved> => {
    if (input.article !== undefined) return { input, retrieval: o.index.retrieveIn(input.question, input.article) };
    if (isPromptInjection(input.question)) return { input };
    const retrieval = (await find(input.question)) ?? o.index.retrieve(input.question, 0);
    return { input, retrieval };
  };

  const decideStep = ({ input, retrieval }: Retrieved): ChainOutput => {
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
  };

  const answer = async (state: ChainOutput, config: RunnableConfig): Promise<ChainOutput> => {
    if (state.decision !== 'answer' || !o.model) return state;
    const passages = state.retrieval.hits.slice(0, o.modelPassages);
    const result = await askModel(o.model, state.question, passages, { signal: config.signal, timeout: o.modelTimeoutMs });
    return { ...state, model: { result, passages } };
  };

  return new AnswerChain(o.retriever, retrieve, decideStep, answer);
}
