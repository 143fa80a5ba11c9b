import type { AnswerChoice } from './extract';
import type { Retrieval } from './retriever';

/**
 * Thresholds for answering instead of declining. Calibrated on test/knowledge/calibration.json
 * (dev questions, not the evaluation set) with `npm run bench:knowledge`, which prints the
 * sweep; see docs/knowledge.md for the numbers and how they were chosen.
 */
export const DECISION = {
  /**
   * Rarity-weighted share of the question's typed words that the passage answered from matches.
   * On the dev split the out-of-scope questions reach at most 0.46 and the answerable ones at
   * least 0.66; 0.56 is the middle of that gap.
   */
  minCoverage: 0.56,
  /** MiniSearch BM25 score of the best passage. */
  minScore: 4,
};

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

/** The two numbers the decision looks at. */
export interface DecisionSignals {
  /** Rarity-weighted share of the question's typed words matched by the passage answered from. */
  coverage: number;
  /** MiniSearch score of the best passage. */
  score: number;
}

export function decisionSignals(r: Retrieval, choice: AnswerChoice | undefined): DecisionSignals {
  return { coverage: choice?.hit.coverage ?? 0, score: r.hits[0]?.score ?? 0 };
}

export function shouldAnswer(s: DecisionSignals, thresholds = DECISION): boolean {
  return s.coverage >= thresholds.minCoverage && s.score >= thresholds.minScore;
}
