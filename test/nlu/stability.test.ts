import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEligibilityService, type EligibilityService } from '../../src/eligibility';
import { type Corpus, createNlu, type Intent, INTENTS, loadCorpus } from '../../src/nlu';
import type { ClassifierOptions } from '../../src/nlu/classifier';

/**
 * The intent model must not change its answers when nothing relevant changed: another shuffle
 * seed, or a few training utterances left out. A model whose answers to strangers' wording flip
 * with unrelated training data generalises badly. Measured on the blind dev split (routing as
 * the bot does it, `understand()`): with one training run (before 2026-11-29 15:00) 12 answers
 * flipped over the five other seeds and the thinned corpus (8 + 4), 18 after the nine "hilf mir
 * bitte bei …" questions were added; averaging the weights of three runs gives 5, then 6. The bar
 * (9) lies between: room for corpus edits, none for a single run.
 */
const dev = JSON.parse(readFileSync(path.join(__dirname, 'blind', 'utterances.dev.json'), 'utf8')) as { text: string }[];

let eligibility: EligibilityService;
let corpus: Corpus;
beforeAll(() => {
  eligibility = createEligibilityService();
  corpus = loadCorpus();
});

const route = (training: ClassifierOptions, c: Corpus = corpus): Intent[] => {
  const nlu = createNlu({ eligibility, corpus: c, training });
  return dev.map((x) => nlu.understand(x.text).intent);
};
const flips = (a: Intent[], b: Intent[]) => a.filter((intent, i) => intent !== b[i]).length;

/** Every 17th utterance of each intent left out (about 6 %): a corpus that says the same. */
const thinned = (): Corpus => ({
  utterances: Object.fromEntries(INTENTS.map((i) => [i, corpus.utterances[i].filter((_, n) => n % 17 !== 7)])) as Corpus['utterances'],
});

describe('stability of the intent model', () => {
  it('routes the dev utterances alike with other seeds and with a few training utterances left out', () => {
    const base = route({});
    const perSeed = [1, 2, 3, 4, 5].map((seed) => flips(route({ seed }), base));
    const thin = flips(route({}, thinned()), base);
    const total = perSeed.reduce((a, b) => a + b, 0) + thin;
    console.log(`dev answers that flip: seeds ${perSeed.join(', ')}; thinned corpus ${thin}; total ${total}/${6 * dev.length}`);
    expect(total).toBeLessThanOrEqual(9);
  }, 120_000);
});
