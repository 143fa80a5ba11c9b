import { describe, expect, it } from 'vitest';
import { type BlindItem, containsFact, type EvalReply, factTokens, judgeBlind, summarise } from '../../src/knowledge/judge';

const item = (over: Partial<BlindItem> = {}): BlindItem => ({
  id: 'x-1',
  q: 'Wie viele Angriffe wurden gemeldet?',
  articles: ['akc-aktionsprogramm'],
  facts: ['25'],
  kind: 'answer',
  style: 'short',
  ...over,
});
const reply = (over: Partial<EvalReply> = {}): EvalReply => ({ outcome: 'answer', text: '2023 meldeten Kommunen 25 Angriffe.', cited: ['akc-aktionsprogramm'], ...over });

describe('fact matching', () => {
  it('matches numbers on word boundaries only', () => {
    expect(containsFact('bis 2025 gemeldet', '25')).toBe(false);
    expect(containsFact('25.000 Euro', '25')).toBe(false);
    expect(containsFact('es waren 25 Angriffe', '25')).toBe(true);
  });

  it('ignores case, umlaut spelling, whitespace and thousands separators', () => {
    expect(containsFact('FOERDERUNG von 35 000 Euro', 'Förderung von 35.000 Euro')).toBe(true);
    expect(containsFact('Forderung   von 35000 Euro', 'Förderung von 35.000 Euro')).toBe(true);
    expect(containsFact('Telefon 0611-83 8377', '0611-83 8377')).toBe(true);
    expect(containsFact('Telefon 0611-83 8378', '0611-83 8377')).toBe(false);
    expect(factTokens('29.09.2022')).toEqual(['29', '09', '2022']);
    expect(factTokens('2024 355 Kommunen')).toEqual(['2024', '355', 'kommunen']);
  });

  it('matches words whole, not inside longer words', () => {
    expect(containsFact('Backups offline lagern', 'offline')).toBe(true);
    expect(containsFact('Offlinebackups', 'offline')).toBe(false);
  });
});

describe('judgeBlind', () => {
  it('wants the answer kind, an expected article and every fact', () => {
    expect(judgeBlind(item(), reply()).correct).toBe(true);
    expect(judgeBlind(item(), reply({ cited: ['hessen3c'] })).correct).toBe(false);
    expect(judgeBlind(item(), reply({ outcome: 'clarify', cited: [] })).correct).toBe(false);
    expect(judgeBlind(item({ facts: ['25', 'Hessen3C'] }), reply()).correct).toBe(false);
  });

  it('does not count a fact the question already contains', () => {
    const echo = item({ q: 'Stimmt es, dass 25 Angriffe gemeldet wurden?' });
    expect(judgeBlind(echo, reply()).correct).toBe(false);
    expect(judgeBlind({ ...echo, facts: ['25', '2023'] }, reply()).correct).toBe(true);
  });

  it('takes a clarification or a decline as right on an unanswerable question, never an answer', () => {
    const u = item({ unanswerable: true });
    expect(judgeBlind(u, reply({ outcome: 'clarify', cited: [] })).correct).toBe(true);
    expect(judgeBlind(u, reply({ outcome: 'decline', cited: [] })).correct).toBe(true);
    expect(judgeBlind(u, reply()).correct).toBe(false);
  });

  it('wants the first-aid answer with the ZAC number for an emergency', () => {
    const e = item({ kind: 'emergency', facts: [], articles: [] });
    expect(judgeBlind(e, reply({ outcome: 'emergency', text: 'ZAC: 0611-83 8377' })).correct).toBe(true);
    expect(judgeBlind(e, reply({ outcome: 'emergency', text: 'Rufen Sie die Polizei.' })).correct).toBe(false);
    expect(judgeBlind(e, reply({ outcome: 'answer', text: 'ZAC: 0611-83 8377' })).correct).toBe(false);
  });

  it('takes only a decline as right for an out-of-scope question, not a clarification', () => {
    const d = item({ kind: 'decline', facts: [], articles: [] });
    expect(judgeBlind(d, reply({ outcome: 'decline', cited: [] })).correct).toBe(true);
    expect(judgeBlind(d, reply({ outcome: 'clarify', cited: [] })).correct).toBe(false);
    expect(judgeBlind(d, reply({ outcome: 'dialog', cited: [] })).correct).toBe(false);
  });

  it('tallies unanswerable items apart from the fact score', () => {
    const s = summarise([
      { item: item(), reply: reply(), verdict: { correct: true } },
      { item: item({ unanswerable: true }), reply: reply({ outcome: 'decline' }), verdict: { correct: true } },
    ]);
    expect(s.facts).toMatchObject({ n: 1, correct: 1 });
    expect(s.unanswerable.outcomes.decline).toBe(1);
  });
});
