import { beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeService } from '../../src/knowledge';
import { type BlindSummary, evaluateBlind, formatBlind } from '../../src/knowledge/judge';
import { botReply, loadSplit, ROUTING } from '../../scripts/knowledge-eval';

/**
 * The headline measure of issue #11: the blind question sets through the bot's routing and the
 * real knowledge service (extractive, no model). The frozen test split is loaded for aggregate
 * figures only; its items and failures are never printed.
 *
 * Bars not yet reached are marked `it.fails` (the assertion is the bar, unchanged): such
 * a test passes while the bar is missed and fails the day the bar holds, so the marker must then
 * go. docs/knowledge.md reports the figures per change.
 */
let dev: BlindSummary;
let test: BlindSummary;
const share = (a: number, b: number) => (b === 0 ? 0 : a / b);

beforeAll(async () => {
  const service = await createKnowledgeService({});
  const reply = botReply(service);
  dev = await evaluateBlind(loadSplit('dev'), reply);
  test = await evaluateBlind(loadSplit('test'), reply);
  console.info(`routing: ${ROUTING}\n${formatBlind('dev', dev, { failures: false })}\n${formatBlind('test', test, { failures: false })}`);
});

describe('blind knowledge evaluation (issue #11 bars)', () => {
  it('has the splits the README describes', () => {
    for (const s of [dev, test]) {
      expect(s.facts.n).toBeGreaterThanOrEqual(100);
      expect(s.declines.n).toBeGreaterThanOrEqual(40);
      expect(s.emergencies.n).toBeGreaterThanOrEqual(20);
    }
  });

  // Not reached yet (see docs/knowledge.md): the bar is the issue's, unchanged.
  it.fails('test: at least 90 % of facts with the right article', () => {
    expect(share(test.facts.correct, test.facts.n)).toBeGreaterThanOrEqual(0.9);
  });

  // Not reached yet (see docs/knowledge.md).
  it.fails('test: every out-of-scope and injection question declined', () => {
    expect(test.declines.correct).toBe(test.declines.n);
  });

  // Not reached yet: with nlu's emergency intent first aid goes to 19/20 (dev) and 17/20 (test)
  // emergencies (rule-based routing: 3/20 and 6/20); the rest are declined (docs/nlu.md).
  it.fails('dev and test: no emergency declined, every one answered with first aid', () => {
    for (const s of [dev, test]) {
      expect(s.emergencies.outcomes.decline).toBe(0);
      expect(s.emergencies.correct).toBe(s.emergencies.n);
    }
  });

  // Held narrowly with the rule-based routing (dev 37.1 %, test 32.2 %, a gap of 4.9 points). Not
  // held after the trained routing (src/nlu, issue #12): dev 37.1 %, test 28.7 % (docs/nlu.md).
  // Held narrowly again since the answer quotes the section of the kind asked for (compose.ts):
  // dev 39.7 %, test 34.8 %, a gap of 4.9 points. The bar is the issue's, unchanged.
  // With kgate's vocabulary, stop words and class-balanced topic model on top: dev 44.8 %, test
  // 42.6 %, a gap of 2.2 points. With kgate2's stop words, article choice and agreeing-signals
  // clarification, on main b86d938's routing: dev 50.9 %, test 46.1 %, a gap of 4.8 points (held narrowly).
  it('dev/test gap of the fact score under 5 points', () => {
    const gap = 100 * (share(dev.facts.correct, dev.facts.n) - share(test.facts.correct, test.facts.n));
    expect(Math.abs(gap)).toBeLessThan(5);
  });
});
