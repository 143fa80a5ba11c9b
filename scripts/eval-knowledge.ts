/**
 * npm run eval:knowledge — the knowledge base's headline figures on the blind question sets:
 * dev with its failures (tune on it), test as numbers only (frozen; never read its items).
 * Extractive answers, no language model. See docs/knowledge.md.
 */
import { createKnowledgeService } from '../src/knowledge';
import { DECISION } from '../src/knowledge/decide';
import { evaluateBlind, formatBlind } from '../src/knowledge/judge';
import { botReply, loadSplit, ROUTING } from './knowledge-eval';

async function main(): Promise<void> {
  const service = await createKnowledgeService({});
  const reply = botReply(service);
  console.log(`routing: ${ROUTING}\n`);
  if (process.argv.includes('--sweep')) return sweep(reply);
  const dev = await evaluateBlind(loadSplit('dev'), reply);
  console.log(formatBlind('dev', dev, { failures: process.argv.includes('--failures') || !process.argv.includes('--quiet') }));
  // --dev: dev alone, for comparing variants while tuning (test is run only for a change that is kept).
  if (process.argv.includes('--dev')) return;
  console.log('');
  const test = await evaluateBlind(loadSplit('test'), reply);
  console.log(formatBlind('test (frozen, numbers only)', test, { failures: false }));
  const gap = (100 * dev.facts.correct) / dev.facts.n - (100 * test.facts.correct) / test.facts.n;
  console.log(`\ndev − test (facts): ${gap.toFixed(1)} points`);
}

/**
 * Calibration on dev ONLY: the topic model's decision thresholds and its weight in the choice of
 * the article over a grid, with dev's facts, declines and emergencies declined. Test is not touched.
 */
async function sweep(reply: ReturnType<typeof botReply>): Promise<void> {
  const dev = loadSplit('dev');
  const base = { ...DECISION };
  console.log('maxOut topicBlend topicAnswer topicWeight | facts declines emerg.declined | answer clarify decline');
  for (const maxOut of [0.3, 0.4, 0.5]) {
    for (const topicBlend of [0.4, 0.5, 0.6, 0.7]) {
      for (const topicAnswer of [0.44, 0.48, 0.52, 0.56, 0.6]) {
        for (const topicWeight of [0.5, 0.7, 0.9]) {
          Object.assign(DECISION, { maxOut, topicBlend, topicAnswer, topicWeight });
          const s = await evaluateBlind(dev, reply);
          const all = s.results.length;
          const share = (o: string) => ((100 * s.results.filter((r) => r.reply.outcome === o).length) / all).toFixed(0);
          console.log(
            `${maxOut} ${topicBlend} ${topicAnswer} ${topicWeight} | ${s.facts.correct}/${s.facts.n} ${s.declines.correct}/${s.declines.n} ${s.emergencies.outcomes.decline} | ${share('answer')} ${share('clarify')} ${share('decline')}`,
          );
        }
      }
    }
  }
  Object.assign(DECISION, base);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
