import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEligibilityService, type EligibilityService } from '../../src/eligibility';
import { createNlu, INTENTS, loadCorpus, MIN_UTTERANCES, type Nlu } from '../../src/nlu';
import { evaluateIntents, evaluateSlots, type SlotItem, type UtteranceItem } from '../../src/nlu/evaluation';
import { foldPhrase } from '../../src/text/fold';

/**
 * The blind evaluation of understanding (docs/nlu.md). The test split is frozen: this file prints
 * and asserts only its aggregate figures. The dev split's failures are printed for tuning.
 */
const blind = (file: string) => JSON.parse(readFileSync(path.join(__dirname, 'blind', file), 'utf8'));
const trainedPhrases = () => new Set(Object.values(loadCorpus().utterances).flat().map(foldPhrase));
const pct = (a: number, b: number) => Math.round((1000 * a) / b) / 10;

let eligibility: EligibilityService;
let nlu: Nlu;
beforeAll(() => {
  eligibility = createEligibilityService();
  nlu = createNlu({ eligibility });
});

describe('intent model on the blind utterances', () => {
  it('reaches at least 95 % intent accuracy on the frozen test split, also on its items never trained on', () => {
    const items = blind('utterances.test.json') as UtteranceItem[];
    const r = evaluateIntents(items, nlu, eligibility);
    // Short commands ("Termin buchen") can equal a training utterance written independently;
    // the bar holds for the items that equal none as well.
    const trained = trainedPhrases();
    const unseen = evaluateIntents(items.filter((x) => !trained.has(foldPhrase(x.text))), nlu, eligibility);
    console.log(`test intents: ${pct(r.correct, r.total)} % (${r.correct}/${r.total}); never trained on: ${pct(unseen.correct, unseen.total)} % (${unseen.correct}/${unseen.total}); entities ${pct(r.entities.correct, r.entities.total)} %`);
    console.log(Object.entries(r.perIntent).map(([i, p]) => `${i} P ${pct(p.precision, 1)} R ${pct(p.recall, 1)}`).join('; '));
    expect(r.correct / r.total).toBeGreaterThanOrEqual(0.95);
    expect(unseen.correct / unseen.total).toBeGreaterThanOrEqual(0.95);
  });

  it('prints the dev split with its failures', () => {
    const r = evaluateIntents(blind('utterances.dev.json') as UtteranceItem[], nlu, eligibility);
    console.log(`dev intents: ${pct(r.correct, r.total)} % (${r.correct}/${r.total})`);
    for (const f of r.failures) console.log(`  ${f.expected} → ${f.got}: ${f.text}`);
    expect(r.correct / r.total).toBeGreaterThanOrEqual(0.95);
  });

  it('never routes an emergency of either split elsewhere (recall 100 %)', () => {
    for (const split of ['dev', 'test']) {
      const r = evaluateIntents(blind(`utterances.${split}.json`) as UtteranceItem[], nlu, eligibility);
      expect(r.perIntent.emergency.recall, split).toBe(1);
    }
  });
});

describe('slot readers on the blind answers', () => {
  it('prints both splits (test: aggregates only) and holds the dev figure', () => {
    const dev = evaluateSlots(blind('slots.dev.json') as SlotItem[], eligibility, (t) => nlu.countKommunen(t));
    const test = evaluateSlots(blind('slots.test.json') as SlotItem[], eligibility, (t) => nlu.countKommunen(t));
    console.log(`slots dev ${pct(dev.correct, dev.total)} %, test ${pct(test.correct, test.total)} %`);
    for (const f of dev.failures) console.log(`  ${f.slot}: ${JSON.stringify(f.expected)} → ${JSON.stringify(f.got)}: ${f.text}`);
    expect(dev.correct / dev.total).toBeGreaterThanOrEqual(0.95);
    // Below this the readers have fallen back behind the figure reported in docs/nlu.md.
    expect(test.correct / test.total).toBeGreaterThanOrEqual(0.85);
  });
});

describe('training data', () => {
  it(`has every intent with at least ${MIN_UTTERANCES} utterances, German and English`, () => {
    const corpus = loadCorpus();
    for (const intent of INTENTS) {
      expect(corpus.utterances[intent].length, intent).toBeGreaterThanOrEqual(MIN_UTTERANCES);
      const english = corpus.utterances[intent].filter((u) => /\b(the|my|i|we|please|can|what|how|is|our|me)\b/i.test(u));
      expect(english.length, `${intent}: English utterances`).toBeGreaterThanOrEqual(2);
    }
  });

  it('contains no item of the dev split (the test split is only counted, in the figure above)', () => {
    const trained = trainedPhrases();
    const overlap = (blind('utterances.dev.json') as UtteranceItem[]).filter((x) => trained.has(foldPhrase(x.text))).length;
    expect(overlap, 'dev items equal to a training utterance').toBe(0);
  });
});
