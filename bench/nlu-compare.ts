/**
 * `npm run bench:nlu`: the intent model (src/nlu, own features + softmax) against NLP.js 4
 * (@nlpjs/nlp + @nlpjs/lang-de, the issue's spike), trained on the same dialogs/nlu files and
 * measured on the dev split: accuracy, training time, time per message. Evidence for the choice
 * recorded in docs/nlu.md; not a test.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEligibilityService } from '../src/eligibility';
import { createNlu, INTENTS, INTENT_THRESHOLD, loadCorpus } from '../src/nlu';
import { projectRoot } from '../src/paths';

interface Item { text: string; intent: string }
const dev = JSON.parse(readFileSync(path.join(projectRoot(), 'test', 'nlu', 'blind', 'utterances.dev.json'), 'utf8')) as Item[];

async function nlpjs(): Promise<{ trainMs: number; correct: number; usPerMessage: number }> {
  const { containerBootstrap } = require('@nlpjs/core');
  const { Nlp } = require('@nlpjs/nlp');
  const { LangDe } = require('@nlpjs/lang-de');
  const container = await containerBootstrap();
  container.use(Nlp);
  container.use(LangDe);
  container.registerConfiguration('nlu-de', { log: false }, true);
  const nlp = container.get('nlp');
  nlp.settings.autoSave = false;
  nlp.settings.log = false;
  nlp.settings.nlu = { log: false };
  nlp.addLanguage('de');
  const names = ['Buseck', 'Limburg', 'Wetzlar', 'Landkreis Gießen', 'Vogelsbergkreis'];
  const corpus = loadCorpus();
  for (const intent of INTENTS) corpus.utterances[intent].forEach((u, i) => nlp.addDocument('de', u.replace('<Kommune>', names[i % names.length]), intent));
  let t0 = performance.now();
  await nlp.train();
  const trainMs = performance.now() - t0;
  let correct = 0;
  t0 = performance.now();
  for (const x of dev) {
    const r = await nlp.process('de', x.text);
    const intent = r.intent === 'None' || r.score < INTENT_THRESHOLD ? 'question' : r.intent;
    if (intent === x.intent) correct++;
  }
  return { trainMs, correct, usPerMessage: ((performance.now() - t0) * 1000) / dev.length };
}

async function main(): Promise<void> {
  const eligibility = createEligibilityService();
  let t0 = performance.now();
  const nlu = createNlu({ eligibility });
  const trainMs = performance.now() - t0;
  for (const x of dev) nlu.understand(x.text); // warm-up
  let correct = 0;
  t0 = performance.now();
  for (const x of dev) if (nlu.understand(x.text).intent === x.intent) correct++;
  const us = ((performance.now() - t0) * 1000) / dev.length;
  const other = await nlpjs();
  const row = (name: string, c: number, ms: number, u: number) =>
    `${name.padEnd(44)} ${`${((100 * c) / dev.length).toFixed(1)} %`.padStart(8)} ${`${ms.toFixed(0)} ms`.padStart(9)} ${`${u.toFixed(0)} µs`.padStart(8)}`;
  console.log(`dev split, ${dev.length} messages                     accuracy     train  per msg`);
  console.log(row('src/nlu (features + softmax + emergency cues)', correct, trainMs, us));
  console.log(row('NLP.js 4 (@nlpjs/nlp + lang-de, same data)', other.correct, other.trainMs, other.usPerMessage));
}

void main();
