import { foldTokens, hasPhrase } from '../text/fold';
import type { FactName } from './types';

/**
 * Reads what people type as an answer to one programme question ("drei", "14,9 %",
 * "unbefristet", "Stufe 2") into a fact value. `unknown` means the person said they do not know:
 * the fact stays open and the result says "needs review" instead of guessing.
 */
export type FactAnswer = { kind: 'value'; value: number | 'unbefristet' } | { kind: 'unknown' } | { kind: 'invalid' };

const NUMBER_WORDS: Record<string, number> = {
  null: 0, ein: 1, eins: 1, eine: 1, einer: 1, zwei: 2, drei: 3, vier: 4, fuenf: 5, sechs: 6, sieben: 7, acht: 8, neun: 9, zehn: 10, elf: 11, zwoelf: 12,
  fuenfzehn: 15, zwanzig: 20, dreissig: 30,
};

const UNKNOWN = [['weiss', 'nicht'], ['keine', 'ahnung'], ['unbekannt'], ['unklar'], ['noch', 'offen'], ['nicht', 'sicher'], ['noch', 'nicht', 'bekannt']];
const PERMANENT = ['unbefristet', 'dauerhaft', 'unbegrenzt', 'permanent', 'dauer'];

/** The first number in the text: digits with comma or point as decimal mark, or a number word. */
export function parseGermanNumber(text: string): number | undefined {
  const m = /(-?\d+(?:[.,]\d+)?)/.exec(text);
  if (m) return Number(m[1].replace(',', '.'));
  for (const t of foldTokens(text)) if (t in NUMBER_WORDS) return NUMBER_WORDS[t];
  return undefined;
}

export function parseFactAnswer(fact: Exclude<FactName, 'allPartnersHessian' | 'stage1Done' | 'recommendationsImplemented'>, text: string): FactAnswer {
  if (isUnknownAnswer(text)) return { kind: 'unknown' };
  const tokens = foldTokens(text);
  const n = parseGermanNumber(text);
  switch (fact) {
    case 'partners':
      return n !== undefined && Number.isInteger(n) && n >= 1 && n <= 500 ? { kind: 'value', value: n } : { kind: 'invalid' };
    case 'durationYears': {
      if (tokens.some((t) => PERMANENT.includes(t))) return { kind: 'value', value: 'unbefristet' };
      if (n === undefined || n <= 0 || n > 100) return { kind: 'invalid' };
      return { kind: 'value', value: tokens.some((t) => t.startsWith('monat')) ? n / 12 : n };
    }
    case 'savingsPercent':
      return n !== undefined && n >= 0 && n <= 100 ? { kind: 'value', value: n } : { kind: 'invalid' };
    case 'stage':
      if (tokens.includes('stresstest') || n === 2) return { kind: 'value', value: 2 };
      if (n === 1 || tokens.includes('bewertung') || hasPhrase(tokens, ['vor', 'ort'])) return { kind: 'value', value: 1 };
      return { kind: 'invalid' };
  }
}

/** "weiß nicht", "keine Ahnung", "noch offen": the person does not know the answer. */
export function isUnknownAnswer(text: string): boolean {
  const tokens = foldTokens(text);
  return UNKNOWN.some((p) => hasPhrase(tokens, p));
}
