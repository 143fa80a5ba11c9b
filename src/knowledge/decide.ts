import type { Retrieval } from './retriever';

/**
 * Attempts to make the bot drop its rules or reveal them. Such a question is declined before
 * retrieval, whatever words it shares with the knowledge base.
 */
const INJECTION: RegExp[] = [
  /ignor(ier|e)\w*\s+(\w+\s+){0,4}(anweisung|regel|instruktion|vorgabe|instruction|rule|prompt)/i,
  /(vergiss|forget|disregard|missachte)\w*\s+(\w+\s+){0,4}(anweisung|regel|instruktion|vorgabe|instruction|rule|prompt|alles|everything)/i,
  /(system\s*-?\s*prompt|systemnachricht|system message|developer message|initial prompt)/i,
  /\b(gib|zeig|zeige|nenn|nenne|verrat|verrate|print|reveal|show|output|repeat|wiederhole)\s+(\w+\s+){0,3}(deine[nrs]?|your|ihre[nr]?)\s+(\w+\s+){0,2}(anweisung|instruktion|instruction|prompt|konfiguration|regeln|rules)/i,
  /\b(du bist (jetzt|nun|ab sofort)|you are now|act as|tu so als|pretend|rollenspiel|roleplay|jailbreak|dan mode|developer mode|entwicklermodus)\b/i,
  /\b(api[-\s]?key|passw(or|ö)rt(er)? (der|des|von) (datenbank|server|admin)|zugangsdaten (der|des) bots?)\b/i,
  /<\/?(system|assistant|user|instructions?)>|\[\/?(inst|system)\]|<<<|>>>|```/i,
];

export function isPromptInjection(question: string): boolean {
  return INJECTION.some((re) => re.test(question));
}

/**
 * What the decision looks at. None of these falls as a message grows: coverage is computed on
 * the question sentences at full weight and the story around them at a low weight (message.ts);
 * the variant share is the share of an editor's question variant found in the message.
 */
export interface DecisionSignals {
  /** Rarity-weighted share of the question's typed words matched by the passage answered from. */
  coverage: number;
  /** MiniSearch score (with variant bonus) of the best passage. */
  score: number;
  /** Share of the best question variant's key words found in the message (its article: variantArticle). */
  variant: number;
  variantArticle?: number;
  /** The article answered from. */
  article?: number;
  /** How well the passage answered from matches the question's rarest word (1, 0.8, 0.5 or 0). */
  key: number;
  /** Score of the best passage of another article, relative to the best (0..1; 1 = a tie). */
  runnerUp: number;
  /** Topic model: probability that the message is about none of the articles (absent without a model). */
  out?: number;
  /** Topic model: probability of the article answered from. */
  topic?: number;
  /** Topic model: its most probable article. */
  topicFirst?: number;
  /** Article of the best hit. */
  hitArticle?: number;
}

export type Decision = 'answer' | 'clarify' | 'decline';

/**
 * Thresholds, calibrated on test/knowledge/blind/dev.json only (npm run eval:knowledge; the
 * sweep and its figures are in docs/knowledge.md).
 */
export const DECISION = {
  /** Answer when the passage covers this share of the (focus-weighted) question … */
  answerCoverage: 0.5,
  /** … and the best passage scores at least this (MiniSearch BM25). */
  minScore: 4,
  /** Or answer when a question variant of the article answered from is matched this well. */
  answerVariant: 0.7,
  /** Clarify (offer the best articles) when coverage or variant share reach these. */
  clarifyCoverage: 0.4,
  clarifyVariant: 1.01,
  /** A clarification needs the message's rarest word matched at least this well (0.8: itself or a synonym). */
  clarifyKey: 0.8,
  /** With the topic model: decline when it says "none of the articles" at least this probably … */
  maxOut: 0.4,
  /**
   * … answer when coverage × topicBlend + P(article) × (1 − topicBlend) reaches topicAnswer: what
   * the passage matches and how sure the model is of the article make up for each other.
   */
  topicBlend: 0.6,
  topicAnswer: 0.52,
  /**
   * Weight of the topic model against retrieval when choosing the article: the article's
   * probability (relative to the most probable one) × topicWeight + its best passage's score
   * (relative to the best hit) × (1 − topicWeight).
   */
  topicWeight: 0.4,
  /** Weight of the article's coverage of the question (relative to the best covering article) in that choice; retrieval gets the rest. */
  coverageWeight: 0.3,
  /**
   * A message the decision declines still gets first aid when the model reads it as the emergency
   * article at least this probably ("Kannst du mir bei der Steuererklärung helfen?" shares only
   * "helfen" with it: 0.40).
   */
  firstAidTopic: 0.5,
  /**
   * Clarify instead of decline when the topic model's first choice, the best hit's article and the
   * best question variant's article are the article chosen and the variant matched at least this
   * well (dev: 0.65–0.8 give the same answerables; at 0.6 two out-of-scope messages were clarified).
   */
  clarifyAgreeVariant: 0.75,
};

function argmax(p: ArrayLike<number>): number {
  let first = 0;
  for (let a = 1; a < p.length; a++) if (p[a] > p[first]) first = a;
  return first;
}

/**
 * The article to answer from: the best hit's, or, with the topic model, the one that both the
 * model and retrieval favour most. Only articles among the hits or the model's first choice are
 * candidates.
 */
export function chooseArticle(r: Retrieval, t = DECISION): number | undefined {
  const top = r.hits[0];
  if (!r.topic) return top?.passage.article;
  const p = r.topic.articles;
  let first = 0;
  for (let a = 1; a < p.length; a++) if (p[a] > p[first]) first = a;
  const retrieved = new Map<number, number>();
  const covered = new Map<number, number>();
  let bestCoverage = 0;
  for (const h of r.hits) {
    if (!retrieved.has(h.passage.article)) retrieved.set(h.passage.article, top && top.score > 0 ? h.score / top.score : 0);
    covered.set(h.passage.article, Math.max(covered.get(h.passage.article) ?? 0, h.coverage));
    bestCoverage = Math.max(bestCoverage, h.coverage);
  }
  if (!retrieved.has(first)) retrieved.set(first, 0);
  let best: number | undefined;
  let bestValue = -1;
  for (const [a, score] of retrieved) {
    const coverage = bestCoverage > 0 ? (covered.get(a) ?? 0) / bestCoverage : 0;
    const value = t.topicWeight * (p[first] > 0 ? p[a] / p[first] : 0) + t.coverageWeight * coverage + (1 - t.topicWeight - t.coverageWeight) * score;
    if (value > bestValue) [best, bestValue] = [a, value];
  }
  return best;
}

/** The signals for answering from `article` (the best passage of that article among the hits). */
export function decisionSignals(r: Retrieval, article: number | undefined): DecisionSignals {
  const best = r.hits[0];
  const own = r.hits.filter((h) => h.passage.article === article);
  const hit = own.reduce<(typeof own)[number] | undefined>((a, h) => (!a || h.coverage > a.coverage ? h : a), undefined);
  const other = r.hits.find((h) => h.passage.article !== (best?.passage.article ?? -1));
  return {
    coverage: hit?.coverage ?? 0,
    key: hit?.key ?? 0,
    score: best?.score ?? 0,
    variant: r.variants[0]?.share ?? 0,
    variantArticle: r.variants[0]?.article,
    article,
    runnerUp: best && other ? other.score / best.score : 0,
    hitArticle: best?.passage.article,
    ...(r.topic && { out: r.topic.out, topic: article === undefined ? 0 : r.topic.articles[article], topicFirst: argmax(r.topic.articles) }),
  };
}

export function decide(s: DecisionSignals, t = DECISION): Decision {
  if (s.out !== undefined && s.topic !== undefined) {
    // The topic model's reading first: "none of the articles" declines whatever words are shared.
    if (s.out >= t.maxOut) return 'decline';
    if (t.topicBlend * s.coverage + (1 - t.topicBlend) * s.topic >= t.topicAnswer) return 'answer';
    if (s.coverage >= t.clarifyCoverage * 0.75 && s.key >= t.clarifyKey) return 'clarify';
    // The model, retrieval and an editor's question variant all point at the same article: offer
    // it rather than decline (a clarification claims nothing and cites nothing).
    const agree = s.article !== undefined && s.topicFirst === s.article && s.hitArticle === s.article && s.variantArticle === s.article;
    return agree && s.variant >= t.clarifyAgreeVariant ? 'clarify' : 'decline';
  }
  if (s.score < t.minScore && s.variant < t.answerVariant) return s.variant >= t.clarifyVariant ? 'clarify' : 'decline';
  if (s.coverage >= t.answerCoverage) return 'answer';
  if (s.variant >= t.answerVariant && s.variantArticle === s.article) return 'answer';
  // A clarification offers topics the message is about: its rarest word must be among them
  // ("Grundsteuer in Buseck" shares only a place and a word part with the knowledge base).
  if ((s.coverage >= t.clarifyCoverage && s.key >= t.clarifyKey) || s.variant >= t.clarifyVariant) return 'clarify';
  return 'decline';
}
