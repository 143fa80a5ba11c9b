import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectIntent } from '../../dialogs/intents';
import { recogniseInterruption } from '../../dialogs/interruptions';
import { capUserText, MAX_USER_TEXT } from '../../src/bot/user-text';
import { createEligibilityService, type EligibilityService } from '../../src/eligibility';
import {
  createNlu,
  findEmail,
  parseWhen,
  readChoice,
  readKommuneChoice,
  readPartners,
  readPercent,
  readPersonName,
  readPhone,
  readStage,
  readYears,
  readYesNo,
} from '../../src/nlu';
import { kommuneCandidates } from '../../src/nlu/evaluation';
import { createKnowledgeService, type KnowledgeService } from '../../src/knowledge';
import { isPromptInjection } from '../../src/knowledge/decide';
import { call } from '../channels/directline-harness';
import { startTestServer, type TestServer } from '../helpers/server';

const KB = 1024;
/**
 * Units repeated into inputs shaped to make backtracking patterns explode (12 KB of
 * "kann a kdlz " froze the server for 7 s), each with an optional tail.
 */
const HOSTILE: [unit: string, tail: string][] = [
  ['kann a kdlz ', ''],
  ['ist a ', 'x'],
  ['a', ''],
  ['ignoriere ', ''],
  ['1.', 'x'],
  ['termin ', ''],
  ['ä ', ''],
  // Shapes for the answer readers (dates, numbers, e-mail, phone, names).
  ['12.01. ', ''],
  ['zu dritt ', ''],
  ['a@', 'b.de'],
  ['0 ', ''],
  ['Anna ', ''],
  ['kw 1 ', ''],
];
const build = ([unit, tail]: [string, string], bytes: number) => unit.repeat(Math.ceil(bytes / unit.length)) + tail;

function timed(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Best of three: the machine is shared, a single run can be slowed by anything. */
function best(fn: () => unknown): number {
  return Math.min(timed(fn), timed(fn), timed(fn));
}

/**
 * Linearity without a wall-clock bound: eight times the input may cost about eight times the
 * time. A quadratic parser costs 64 times (a backtracking one far more) and fails; the allowance
 * (20× plus 150 ms) absorbs noise on a loaded machine. The 256 KB run proves the parser finishes
 * on the largest body the server accepts.
 */
function expectLinear(name: string, parse: (t: string) => unknown): void {
  for (const h of HOSTILE) {
    const small = build(h, 32 * KB);
    const large = build(h, 256 * KB);
    parse(small); // warm-up: JIT and caches
    const tSmall = best(() => parse(small));
    const tLarge = best(() => parse(large));
    expect(tLarge, `${name} on ${JSON.stringify(h[0])}: 32 KB ${tSmall.toFixed(1)} ms, 256 KB ${tLarge.toFixed(1)} ms`).toBeLessThan(20 * tSmall + 150);
  }
}

describe('every parser of user text on up to 256 KB of hostile input', () => {
  let knowledge: KnowledgeService;
  let eligibility: EligibilityService;
  let nlu: ReturnType<typeof createNlu>;
  beforeAll(async () => {
    knowledge = await createKnowledgeService({});
    eligibility = createEligibilityService();
    nlu = createNlu({ eligibility });
    detectIntent('hallo'); // trains its model once, outside the timed calls
  });

  const slots = [
    { label: 'Di 19.01. 09:00', day: '2027-01-19', time: '09:00' },
    { label: 'Mi 20.01. 13:00', day: '2027-01-20', time: '13:00' },
  ];
  const parsers: [string, (t: string) => unknown][] = [
    ['detectIntent', (t) => detectIntent(t)],
    ['nlu.understand (routing)', (t) => nlu.understand(t)],
    ['nlu.isEmergency', (t) => nlu.isEmergency(t)],
    ['nlu.countKommunen', (t) => nlu.countKommunen(t)],
    ['recogniseInterruption', (t) => recogniseInterruption(t)],
    ['readYesNo', (t) => readYesNo(t)],
    ['parseWhen', (t) => parseWhen(t, '2027-01-11')],
    ['readPartners', (t) => readPartners(t, (x) => nlu.countKommunen(x))],
    ['readYears', (t) => readYears(t)],
    ['readPercent', (t) => readPercent(t)],
    ['readStage', (t) => readStage(t)],
    ['readPersonName', (t) => readPersonName(t)],
    ['findEmail', (t) => findEmail(t)],
    ['readPhone', (t) => readPhone(t)],
    ['readChoice (slots)', (t) => readChoice(t, slots, { allowOther: true })],
    ['readChoice (words)', (t) => readChoice(t, [{ label: 'Online-Beratung Cybersicherheit' }, { label: 'Vor-Ort-Analyse der kommunalen IT' }])],
    ['readKommuneChoice', (t) => readKommuneChoice(t, kommuneCandidates(eligibility, 'Lautertal').list)],
    ['isPromptInjection', (t) => isPromptInjection(t)],
  ];

  for (const [name, parse] of parsers) {
    it(`${name} stays linear`, () => expectLinear(name, parse));
  }

  it('the eligibility question parser and register stay linear', () => expectLinear('parseQuestion', (t) => eligibility.parseQuestion(t)));

  it('the knowledge answer finishes on 256 KB (it reads at most its own cap)', async () => {
    for (const h of HOSTILE) {
      const a = await knowledge.answer(build(h, 256 * KB));
      expect(['answer', 'clarify', 'decline', 'emergency']).toContain(a.kind);
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
