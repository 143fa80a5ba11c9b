import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWhen } from '../../dialogs/booking-when';
import { detectIntent, normalize } from '../../dialogs/intents';
import { recogniseInterruption, recogniseYesNo } from '../../dialogs/interruptions';
import { capUserText, MAX_USER_TEXT } from '../../src/bot/user-text';
import { createEligibilityService, type EligibilityService, parseFactAnswer } from '../../src/eligibility';
import { createKnowledgeService, type KnowledgeService } from '../../src/knowledge';
import { isPromptInjection } from '../../src/knowledge/decide';
import { call } from '../channels/directline-harness';
import { startTestServer, type TestServer } from '../helpers/server';

const KB = 256 * 1024;
/** Inputs shaped to make backtracking patterns explode (the 12 KB "kann a kdlz " froze the server for 7 s). */
const HOSTILE = [
  'kann a kdlz '.repeat(KB / 12),
  'ist a '.repeat(KB / 6) + 'x',
  'a'.repeat(KB),
  'ignoriere '.repeat(KB / 10),
  `${'1.'.repeat(KB / 2)}x`,
  'termin '.repeat(KB / 7),
  `${'ä '.repeat(KB / 2)}`,
];

/**
 * A parser that backtracks takes seconds to minutes on these inputs; a linear one takes
 * milliseconds. The bound is far above a linear parser on a loaded machine and far below the
 * quadratic-or-worse behaviour this guards against.
 */
const BOUND_MS = 1500;

function timed(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

describe('every parser of user text on 256 KB of hostile input', () => {
  let knowledge: KnowledgeService;
  let eligibility: EligibilityService;
  beforeAll(async () => {
    knowledge = await createKnowledgeService({});
    eligibility = createEligibilityService();
  });

  const parsers: [string, (t: string) => unknown][] = [
    ['normalize', (t) => normalize(t)],
    ['detectIntent', (t) => detectIntent(t)],
    ['recogniseInterruption', (t) => recogniseInterruption(t)],
    ['recogniseYesNo', (t) => recogniseYesNo(t)],
    ['parseWhen', (t) => parseWhen(t, '2027-01-11')],
    ['parseFactAnswer', (t) => ['partners', 'durationYears', 'savingsPercent'].map((f) => parseFactAnswer(f as never, t))],
    ['isPromptInjection', (t) => isPromptInjection(t)],
  ];

  for (const [name, parse] of parsers) {
    it(`${name} stays linear`, () => {
      for (const input of HOSTILE) expect(timed(() => parse(input)), `${name} on ${JSON.stringify(input.slice(0, 12))}…`).toBeLessThan(BOUND_MS);
    });
  }

  it('the eligibility question parser and register stay linear', () => {
    for (const input of HOSTILE) expect(timed(() => eligibility.parseQuestion(input))).toBeLessThan(BOUND_MS);
  });

  it('the knowledge answer stays linear', async () => {
    for (const input of HOSTILE) {
      const t0 = performance.now();
      await knowledge.answer(input);
      expect(performance.now() - t0).toBeLessThan(BOUND_MS);
    }
  });
});

describe('capUserText', () => {
  it('cuts at the cap and reports it, and leaves short text alone', () => {
    const long = { text: 'x'.repeat(MAX_USER_TEXT + 5) };
    expect(capUserText(long)).toBe(true);
    expect(long.text).toHaveLength(MAX_USER_TEXT);
    const short = { text: 'Hallo' };
    expect(capUserText(short)).toBe(false);
    expect(short.text).toBe('Hallo');
  });

  it('never leaves half an emoji at the cut', () => {
    const a = { text: 'x'.repeat(MAX_USER_TEXT - 1) + '😀😀' };
    capUserText(a);
    expect(a.text.length).toBe(MAX_USER_TEXT - 1);
    expect(a.text.endsWith('x')).toBe(true);
  });
});

describe('a very long message at the edge', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ DIRECT_LINE_SECRET: 'hostile-test-direct-line-secret-123456789' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('is read up to the cap, answered, and the person is told it was shortened', async () => {
    const t = await call(s.url, 'POST', '/api/webchat/token', { body: {} });
    const started = await call(s.url, 'POST', '/v3/directline/conversations', { auth: t.body.token });
    const path = `/v3/directline/conversations/${started.body.conversationId}/activities`;
    // The question first, then 12,000 characters of padding the answer must not depend on
    // (24 KB: Direct Line refuses activities over 32 KB before the bot sees them).
    const text = 'Wie hoch ist die IKZ-Förderung für drei Kommunen? ' + '… '.repeat(6_000);
    const posted = await call(s.url, 'POST', path, { auth: t.body.token, body: { type: 'message', text, from: { id: 'u1' } } });
    expect(posted.status).toBe(200);
    const replies = async () => {
      const r = await call(s.url, 'GET', path, { auth: t.body.token });
      return (r.body.activities as { type: string; replyToId?: string; text?: string }[]).filter((a) => a.type === 'message' && a.replyToId === posted.body.id);
    };
    let got: { text?: string }[] = [];
    for (let i = 0; i < 100 && got.length < 2; i++) {
      got = await replies();
      if (got.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(got[0].text).toMatch(/sehr lang.*2\.000 Zeichen/);
    // The question in the first 2,000 characters was read and answered (which IKZ sentence is the
    // knowledge evaluation's business, not this test's): an IKZ reply, not the error apology.
    expect(got[1].text).not.toMatch(/schiefgegangen/);
    expect(got[1].text).toMatch(/IKZ|interkommunal|Förder/i);
    expect((await call(s.url, 'GET', '/healthz')).status).toBe(200);
  });
});
