import type { KnowledgeAnswer } from './index';

/** One evaluation question: either facts the answer must contain, or a required decline. */
export interface EvalQuestion {
  q: string;
  /** Every string must appear in the answer (case and spacing ignored). */
  fact?: string[];
  decline?: boolean;
  /** Article file expected to answer it (for hit@k in the benchmark). */
  article?: string;
}

export interface EvalOutcome {
  question: EvalQuestion;
  answer: KnowledgeAnswer;
  correct: boolean;
}

export interface EvalSummary {
  factTotal: number;
  factCorrect: number;
  declineTotal: number;
  declineCorrect: number;
  failures: EvalOutcome[];
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');

export function judge(q: EvalQuestion, a: KnowledgeAnswer): boolean {
  if (q.decline) return a.kind === 'decline' && a.citations.length === 0;
  return a.kind === 'answer' && (q.fact ?? []).every((f) => norm(a.text).includes(norm(f)));
}

/** Runs every question through the real answer pipeline and scores facts and declines separately. */
export async function evaluate(answer: (q: string) => Promise<KnowledgeAnswer>, questions: EvalQuestion[]): Promise<EvalSummary> {
  const s: EvalSummary = { factTotal: 0, factCorrect: 0, declineTotal: 0, declineCorrect: 0, failures: [] };
  for (const question of questions) {
    const a = await answer(question.q);
    const correct = judge(question, a);
    if (question.decline) {
      s.declineTotal++;
      if (correct) s.declineCorrect++;
    } else {
      s.factTotal++;
      if (correct) s.factCorrect++;
    }
    if (!correct) s.failures.push({ question, answer: a, correct });
  }
  return s;
}
