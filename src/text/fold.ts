/**
 * The one text folding of the KDLZ-Bot. Everything that compares what people type with words the
 * bot knows (intents, the Kommunen register, slot parsers, the knowledge analyzer) meets in this
 * spelling, so "Förderfähigkeit", "Foerderfaehigkeit" and "FÖRDERFÄHIGKEIT" are one word, and
 * "Gießen", "Giessen" one place.
 *
 * Rules: lower case; ä/ö/ü → ae/oe/ue (the spelling people use without a German keyboard);
 * ß → ss; other accents dropped ("Café" → "cafe"); tokens are runs of a–z and 0–9, anything
 * else separates. Every function is linear in the input (no backtracking patterns) and callers
 * hand in text already capped at the edge (src/bot/user-text.ts).
 */

const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ẞ: 'ss' };

/** Lower case, umlauts as ae/oe/ue, ß as ss, other accents dropped; punctuation and spaces kept. */
export function fold(text: string): string {
  const lower = text.toLowerCase().replace(/[äöüßẞ]/g, (c) => UMLAUTS[c]);
  // Only text with other non-ASCII letters needs the (slower) decomposition.
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u007f]/.test(lower) ? lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : lower;
}

/** The folded words of a text: runs of a–z and 0–9. "Mörfelden-Walldorf" → ["moerfelden", "walldorf"]. */
export function foldTokens(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

/** The folded words joined by single spaces: one key for comparing whole phrases ("neues gespraech"). */
export function foldPhrase(text: string): string {
  return foldTokens(text).join(' ');
}

/**
 * ae/oe/ue → a/o/u after folding: the Snowball German stemmer writes umlauts as base vowels
 * ("förder" → "forder"), so code comparing with its stems uses this form. Not for "ue" that is no
 * umlaut ("steuer", "quelle"): apply it to both sides of a comparison.
 */
export function baseVowels(folded: string): string {
  return folded.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/(?<!q)ue/g, 'u');
}

/** True when `phrase` (folded tokens) occurs as consecutive tokens in `tokens`. */
export function hasPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}
