import { foldTokens } from '../text/fold';
import { type ClassifierOptions, SoftmaxClassifier } from './classifier';
import { type Corpus, type Intent, INTENTS, loadCorpus } from './corpus';
import { featuresOf, trainingFeatures } from './features';

/** The intent model's reading of one message. */
export interface IntentGuess {
  intent: Intent;
  /** Probability of the intent (0–1). */
  confidence: number;
  /** Probability per intent. */
  scores: Record<Intent, number>;
}

export interface IntentModel {
  /** `kommuneSpan`: where a Kommune's name stands in foldTokens(text), found by the register. */
  classify(tokens: readonly string[], kommuneSpan?: readonly [number, number]): IntentGuess;
}

/** Trains the intent model from the utterance files (three averaged runs, a few hundred milliseconds). */
export function trainIntentModel(corpus: Corpus = loadCorpus(), options: ClassifierOptions = {}): IntentModel {
  const classifier = new SoftmaxClassifier(INTENTS);
  const examples = INTENTS.flatMap((intent) => corpus.utterances[intent].map((u) => ({ features: trainingFeatures(u), label: intent })));
  classifier.train(examples, options);
  return {
    classify(tokens, kommuneSpan) {
      const p = classifier.predict(featuresOf(tokens, kommuneSpan));
      let best = 0;
      for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
      const scores = Object.fromEntries(INTENTS.map((intent, i) => [intent, p[i]])) as Record<Intent, number>;
      return { intent: INTENTS[best], confidence: p[best], scores };
    },
  };
}

export { foldTokens };
