/**
 * npm run eval:knowledge — the knowledge base's headline figures on the blind question sets:
 * dev with its failures (tune on it), test as numbers only (frozen; never read its items).
 * Extractive answers, no language model. See docs/knowledge.md.
 */
import { createKnowledgeService } from '../src/knowledge';
import { evaluateBlind, formatBlind } from '../src/knowledge/judge';
import { botReply, loadSplit, ROUTING } from './knowledge-eval';

async function main(): Promise<void> {
  const service = await createKnowledgeService({});
  const reply = botReply(service);
  console.log(`routing: ${ROUTING}\n`);
  const dev = await evaluateBlind(loadSplit('dev'), reply);
  console.log(formatBlind('dev', dev, { failures: process.argv.includes('--failures') || !process.argv.includes('--quiet') }));
  console.log('');
  const test = await evaluateBlind(loadSplit('test'), reply);
  console.log(formatBlind('test (frozen, numbers only)', test, { failures: false }));
  const gap = (100 * dev.facts.correct) / dev.facts.n - (100 * test.facts.correct) / test.facts.n;
  console.log(`\ndev − test (facts): ${gap.toFixed(1)} points`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
