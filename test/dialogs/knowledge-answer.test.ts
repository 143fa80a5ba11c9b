import { describe, expect, it } from 'vitest';
import { isAnswerFrom, isKnowledgeFeedback, toActivity } from '../../dialogs/knowledge-answer';
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

describe('clarification', () => {
  const clarify: KnowledgeAnswer = {
    kind: 'clarify',
    text: 'Dazu bin ich mir nicht sicher. Meinen Sie eines dieser Themen?',
    citations: [],
    options: [
      { articleId: 'ikz-antrag', title: 'IKZ-Antrag' },
      { articleId: 'ikz-foerderhoehe', title: 'IKZ-Förderung: Wie viel Geld gibt es?' },
    ],
    language: 'de',
    score: 3,
  };

  it('offers the articles as buttons whose values answer from that article, with no citation', () => {
    const a = toActivity(clarify, 'Wie geht das mit der Kooperation?');
    expect(a.entities).toBeUndefined();
    const actions = a.suggestedActions?.actions ?? [];
    expect(actions.map((x) => x.title)).toEqual(['IKZ-Antrag', 'IKZ-Förderung: Wie viel Geld gibt es?']);
    expect(actions[0].value).toEqual({ kdlz: 'answerFrom', article: 'ikz-antrag', question: 'Wie geht das mit der Kooperation?' });
    expect(isAnswerFrom(actions[1].value)).toBe(true);
  });

  it('recognises only well-formed answerFrom values', () => {
    expect(isAnswerFrom({ kdlz: 'answerFrom', article: 'x', question: 'y' })).toBe(true);
    expect(isAnswerFrom({ kdlz: 'answerFrom', article: 3, question: 'y' })).toBe(false);
    expect(isAnswerFrom({ kdlz: 'answerFrom', article: 'x'.repeat(300), question: 'y' })).toBe(false);
  });

  it('carries the first-aid answer with its sources as citations', () => {
    const a = toActivity({ ...answer, kind: 'emergency' }, 'gehackt');
    expect(a.entities).toHaveLength(1);
  });
});
