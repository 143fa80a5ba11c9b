import { describe, expect, it } from 'vitest';
import { isKnowledgeFeedback, toActivity } from '../../dialogs/knowledge-answer';
import type { KnowledgeAnswer } from '../../src/knowledge';

const answer: KnowledgeAnswer = {
  kind: 'answer',
  text: 'Das Modul ist kostenlos.\n\nQuelle: Hessen3C, Stand: ohne Datum',
  citations: [{ position: 1, article: 'kdlz-cs-heute', name: 'KDLZ CS heute', url: 'https://hessen3c.de/x', abstract: 'Das Modul ist kostenlos.', asOf: 'ohne Datum', source: 'Hessen3C' }],
  language: 'de',
  score: 12,
};

describe('toActivity', () => {
  it('carries the schema.org citation entity in the form DESIGN.md gives', () => {
    const a = toActivity(answer, 'Was kostet das?');
    expect(a.text).toBe(answer.text);
    expect(a.entities).toEqual([
      {
        type: 'https://schema.org/Message',
        '@type': 'Message',
        '@context': 'https://schema.org',
        citation: [
          {
            '@type': 'Claim',
            position: 1,
            appearance: { '@type': 'DigitalDocument', name: 'KDLZ CS heute', url: 'https://hessen3c.de/x', abstract: 'Das Modul ist kostenlos.' },
          },
        ],
      },
    ]);
  });

  it('has no citation entity on a decline', () => {
    const a = toActivity({ ...answer, kind: 'decline', citations: [], text: 'Dazu habe ich keine gesicherte Information.' });
    expect(a.entities).toBeUndefined();
  });

  it('offers 👍/👎 whose values route back to recordFeedback', () => {
    const actions = toActivity(answer, 'Was kostet das?').suggestedActions?.actions ?? [];
    expect(actions.map((x) => x.title)).toEqual(['👍 Hilfreich', '👎 Nicht hilfreich']);
    expect(actions.map((x) => x.value)).toEqual([
      { kdlz: 'feedback', helpful: true, answerKind: 'answer', question: 'Was kostet das?' },
      { kdlz: 'feedback', helpful: false, answerKind: 'answer', question: 'Was kostet das?' },
    ]);
    expect(actions.every((x) => isKnowledgeFeedback(x.value))).toBe(true);
    expect(isKnowledgeFeedback({ kdlz: 'feedback', helpful: 'ja' })).toBe(false);
  });
});
