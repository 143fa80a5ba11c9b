import { describe, expect, it } from 'vitest';
import { baseVowels, fold, foldPhrase, foldTokens, hasPhrase } from '../../src/text/fold';

describe('fold: one spelling for what people type and what the bot knows', () => {
  it.each([
    ['Förderfähigkeit', 'foerderfaehigkeit'],
    ['FÖRDERFÄHIGKEIT', 'foerderfaehigkeit'],
    ['Gießen', 'giessen'],
    ['GROẞ', 'gross'],
    ['Café Crème', 'cafe creme'],
    ['Mörfelden-Walldorf, Stadt', 'moerfelden-walldorf, stadt'],
  ])('%s → %s', (input, expected) => {
    expect(fold(input)).toBe(expected);
  });

  it('splits into a–z/0–9 tokens; punctuation and hyphens separate', () => {
    expect(foldTokens('Limburg a. d. Lahn, Kreisstadt')).toEqual(['limburg', 'a', 'd', 'lahn', 'kreisstadt']);
    expect(foldTokens('„Wie viel kostet’s?“ – 14,9 %')).toEqual(['wie', 'viel', 'kostet', 's', '14', '9']);
    expect(foldTokens('  ')).toEqual([]);
    expect(foldPhrase('Neues   Gespräch!')).toBe('neues gespraech');
  });

  it('base vowels for comparisons with Snowball stems, leaving "que" alone', () => {
    expect(baseVowels(fold('Förderung'))).toBe('forderung');
    expect(baseVowels('quelle')).toBe('quelle');
  });

  it('finds a phrase only as consecutive tokens', () => {
    expect(hasPhrase(['vor', 'ort', 'analyse'], ['vor', 'ort'])).toBe(true);
    expect(hasPhrase(['vor', 'der', 'ort'], ['vor', 'ort'])).toBe(false);
    expect(hasPhrase(['a'], [])).toBe(false);
  });

  it('stays linear on 256 KB', () => {
    const t0 = performance.now();
    foldTokens('ä é '.repeat(65_536));
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});
