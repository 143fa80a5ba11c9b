/**
 * `npm run eval:nlu`: the blind evaluation of understanding (test/nlu/blind). Prints per-intent
 * precision/recall, entity and slot accuracy for the dev and the test split; failures only for
 * dev. The test split is frozen: only its aggregate figures are printed, never an item.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEligibilityService } from '../src/eligibility';
import { createNlu } from '../src/nlu';
import { evaluateIntents, evaluateSlots, type SlotItem, type UtteranceItem } from '../src/nlu/evaluation';
import { projectRoot } from '../src/paths';

const blind = (file: string) => JSON.parse(readFileSync(path.join(projectRoot(), 'test', 'nlu', 'blind', file), 'utf8'));
const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;

const eligibility = createEligibilityService();
const t0 = performance.now();
const nlu = createNlu({ eligibility });
console.log(`Intent model trained in ${(performance.now() - t0).toFixed(0)} ms\n`);

for (const split of ['dev', 'test'] as const) {
  const intents = evaluateIntents(blind(`utterances.${split}.json`) as UtteranceItem[], nlu, eligibility);
  const slots = evaluateSlots(blind(`slots.${split}.json`) as SlotItem[], eligibility, (t) => nlu.countKommunen(t));
  console.log(`== ${split} ==`);
  console.log(`intent accuracy ${pct(intents.correct, intents.total)} (${intents.correct}/${intents.total})`);
  console.log('intent            support  precision  recall');
  for (const [intent, r] of Object.entries(intents.perIntent)) {
    console.log(`${intent.padEnd(17)} ${String(r.support).padStart(7)}  ${pct(r.precision * 100, 100).padStart(9)}  ${pct(r.recall * 100, 100).padStart(6)}`);
  }
  console.log(`entities ${pct(intents.entities.correct, intents.entities.total)} (${intents.entities.correct}/${intents.entities.total}): ` +
    Object.entries(intents.entities.perEntity).map(([e, r]) => `${e} ${r.correct}/${r.total}`).join(', '));
  console.log(`slot answers ${pct(slots.correct, slots.total)} (${slots.correct}/${slots.total}): ` +
    Object.entries(slots.perSlot).map(([s, r]) => `${s} ${r.correct}/${r.total}`).join(', '));
  if (split === 'dev') {
    for (const f of intents.failures) console.log(`  intent  ${f.expected} → ${f.got} (${f.confidence.toFixed(2)})  ${JSON.stringify(f.text)}`);
    for (const f of intents.entityFailures) console.log(`  entity  ${f.entity}: ${JSON.stringify(f.expected)} → ${JSON.stringify(f.got)}  ${JSON.stringify(f.text)}`);
    for (const f of slots.failures) console.log(`  slot    ${f.slot}: ${JSON.stringify(f.expected)} → ${JSON.stringify(f.got)}  ${JSON.stringify(f.text)}`);
  }
  console.log('');
}
