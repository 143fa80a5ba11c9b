import { newStemmer } from 'snowball-stemmers';
import { baseVowels, foldTokens } from '../text/fold';

/**
 * What the intent model sees of a message: folded words, their stems, pairs of neighbouring
 * stems and the letter trigrams of each word (so "termn" and "Termin" share most features).
 * A Kommune's name is replaced by one placeholder token: "Kann Buseck …" and "Kann Hünfeld …"
 * are the same sentence to the model, and the training files write `<Kommune>`.
 */

/** The placeholder the training files use where a Kommune's name stands. */
export const KOMMUNE_PLACEHOLDER = '<Kommune>';
/** The token a Kommune's name (or the placeholder) becomes. Not a word anyone types. */
export const KOMMUNE_TOKEN = 'qkommuneq';

/** Words the model reads at most: the intent of a message is in its first sentences. */
export const MAX_WORDS = 60;

const stemmer = newStemmer('german');
/** Bounded memo: a flood of distinct junk words must not grow memory without limit. */
const stems = new Map<string, string>();

/** Snowball German stem with umlauts as base vowels ("Förderung", "foerderung", "forderung" → "forder"). */
export function stemOf(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    // No German word is longer; a 200 KB "word" must not reach the stemmer.
    s = word.length > 40 ? word.slice(0, 40) : /^\d+$/.test(word) ? '#' : baseVowels(stemmer.stem(word));
    if (stems.size >= 50_000) stems.clear();
    stems.set(word, s);
  }
  return s;
}

/** One feature with its weight (letter trigrams count less than whole words). */
export type Features = Map<string, number>;

const TRIGRAM_WEIGHT = 0.25;
const BIGRAM_WEIGHT = 0.7;

/**
 * Features of folded tokens. `kommuneSpan` marks a Kommune's name found by the register; the
 * caller finds it (the model does not know the register).
 */
export function featuresOf(tokens: readonly string[], kommuneSpan?: readonly [number, number]): Features {
  const words: string[] = [];
  for (let i = 0; i < tokens.length && words.length < MAX_WORDS; i++) {
    if (kommuneSpan && i >= kommuneSpan[0] && i < kommuneSpan[1]) {
      if (i === kommuneSpan[0]) words.push(KOMMUNE_TOKEN);
      continue;
    }
    words.push(tokens[i]);
  }
  const f: Features = new Map();
  const add = (key: string, w: number) => f.set(key, Math.max(f.get(key) ?? 0, w));
  let prev = '^';
  for (const word of words) {
    const stem = word === KOMMUNE_TOKEN ? word : stemOf(word);
    add(`w:${stem}`, 1);
    add(`b:${prev}_${stem}`, BIGRAM_WEIGHT);
    prev = stem;
    if (word !== KOMMUNE_TOKEN && word.length > 3 && !/\d/.test(word)) {
      const padded = `_${baseVowels(word)}_`;
      for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
    }
  }
  add(`b:${prev}_$`, BIGRAM_WEIGHT);
  // Very short messages ("hilfe", "termin") behave differently from sentences.
  add(words.length <= 2 ? 'len:short' : words.length <= 6 ? 'len:mid' : 'len:long', 0.5);
  return f;
}

/** Features of a training utterance, where `<Kommune>` stands for any Kommune's name. */
export function trainingFeatures(utterance: string): Features {
  const at = utterance.indexOf(KOMMUNE_PLACEHOLDER);
  if (at < 0) return featuresOf(foldTokens(utterance));
  const before = foldTokens(utterance.slice(0, at));
  const after = foldTokens(utterance.slice(at + KOMMUNE_PLACEHOLDER.length));
  return featuresOf([...before, KOMMUNE_TOKEN, ...after], [before.length, before.length + 1]);
}
