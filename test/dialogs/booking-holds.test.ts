import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOKUP_LIMITS } from '../../src/booking';
import { cardButtons, dlConversation, type DlConversation } from '../helpers/dl-conversation';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Holds and "Meine Termine" through the real app over Direct Line: however a booking dialog is
 * left, its slot goes back at once; guessing reference and e-mail is locked out.
 */
const SECRET = randomBytes(32).toString('base64url');
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ DIRECT_LINE_SECRET: SECRET });
});
afterAll(async () => {
  await srv?.close();
});

/** Runs a booking up to the picked slot (the hold); returns the hold's booking id. */
async function holdASlot(c: DlConversation): Promise<string> {
  await c.say('Termin vereinbaren');
  const [types] = await c.say('Buseck');
  await c.say(cardButtons(types)[0].data);
  const [slots] = await c.say('Nächster freier Termin');
  expect(cardButtons(slots).length).toBeGreaterThan(1);
  await c.say(cardButtons(slots)[0].data);
  const held = await srv.app.db.query<{ id: string }>(`SELECT id FROM booking_bookings WHERE status = 'held' AND channel_conversation_id = $1`, [c.id]);
  expect(held).toHaveLength(1);
  return held[0].id;
}
const statusOf = async (id: string) => (await srv.app.db.query<{ status: string }>('SELECT status FROM booking_bookings WHERE id = $1', [id]))[0].status;

describe('holds end with their dialog', () => {
  it.each([
    ['"Neues Gespräch"', 'Neues Gespräch' as string | Record<string, unknown>],
    ['a global card action (menu)', { kdlz: 'menu' }],
    ['"abbrechen"', 'abbrechen'],
  ])('%s gives the held slot back at once', async (_label, leave) => {
    const c = await dlConversation(srv.url, SECRET);
    const id = await holdASlot(c);
    expect(await statusOf(id)).toBe('held');
    await c.say(leave);
    expect(await statusOf(id)).toBe('expired');
  });

  it('a turn that fails (the dialog state is reset) gives the hold back too', async () => {
    const c = await dlConversation(srv.url, SECRET);
    const id = await holdASlot(c);
    const kv = srv.app.kv;
    const read = kv.read.bind(kv);
    kv.read = (async () => {
      kv.read = read;
      throw new Error('storage hiccup');
    }) as typeof kv.read;
    const replies = await c.say('Ja, einverstanden');
    expect(replies.map((a) => a.text).join(' ')).toMatch(/schiefgegangen/);
    expect(await statusOf(id)).toBe('expired');
  });

  it('a second hold in the same conversation gives the first back', async () => {
    const c = await dlConversation(srv.url, SECRET);
    const first = await holdASlot(c);
    await c.say('Neues Gespräch');
    const second = await holdASlot(c);
    expect(first).not.toBe(second);
    expect(await statusOf(first)).toBe('expired');
    expect(await statusOf(second)).toBe('held');
  });
});

describe('"Meine Termine" in Web Chat', () => {
  it(`after ${LOOKUP_LIMITS.perConversation} wrong reference/e-mail pairs the conversation is told it is locked`, async () => {
    const c = await dlConversation(srv.url, SECRET);
    const replies: string[] = [];
    for (let i = 0; i <= LOOKUP_LIMITS.perConversation; i++) {
      await c.say('Meine Termine');
      await c.say(`KDLZ-2026-ABCDE${'FGHJKL'[i]}`);
      replies.push((await c.say(`rate${i}@gemeinde.example`)).map((a) => a.text).join(' '));
    }
    for (const r of replies.slice(0, -1)) expect(r).toMatch(/keinen Termin gefunden/);
    expect(replies.at(-1)).toMatch(/erst in etwa \d+ Minuten wieder/);
  });
});
