import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KvStore } from '../../src/storage';
import { cardButtons, dlConversation } from '../helpers/dl-conversation';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Two instances writing one conversation's state at once (eTag conflict): the turn runs again
 * on the newer state instead of wiping the dialog; after a second conflict the person is asked
 * to send again and the state the other instance saved stays.
 */
const SECRET = randomBytes(32).toString('base64url');
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ DIRECT_LINE_SECRET: SECRET });
});
afterAll(async () => {
  await srv?.close();
});

/**
 * Makes "another instance" write the conversation's state right after this instance read it,
 * `times` times: the next save of the turn then fails with an eTag conflict.
 */
function interfere(kv: KvStore, conversationId: string, times: number): () => void {
  const read = kv.read.bind(kv);
  let left = times;
  kv.read = (async (keys: readonly string[]) => {
    const found = await read(keys);
    const key = keys.find((k) => k.includes(`/conversations/${conversationId}/`));
    if (key && left > 0) {
      left--;
      await kv.write(key, { ...(found.get(key)?.value as object), writtenByOtherInstance: times - left });
    }
    return found;
  }) as KvStore['read'];
  return () => {
    kv.read = read as KvStore['read'];
  };
}

const stateOf = async (conversationId: string) =>
  (await srv.app.kv.read([`bot:directline/conversations/${conversationId}/`])).get(`bot:directline/conversations/${conversationId}/`)?.value;

describe('turn state changed by another instance meanwhile', () => {
  it('one conflict: the turn runs again and the booking dialog goes on', async () => {
    const c = await dlConversation(srv.url, SECRET);
    expect((await c.say('Termin vereinbaren')).map((a) => a.text).join(' ')).toMatch(/Für welche Kommune/);
    const restore = interfere(srv.app.kv, c.id, 1);
    let replies;
    try {
      replies = await c.say('Buseck');
    } finally {
      restore();
    }
    const text = replies.map((a) => a.text ?? '').join(' ');
    expect(text).not.toMatch(/schiefgegangen|gleichzeitig/);
    // The type question of the booking dialog came (maybe twice: once from each run).
    expect(replies.some((a) => cardButtons(a).length > 0)).toBe(true);
    // The other instance's write was not overwritten: the turn ran again on top of it.
    expect(await stateOf(c.id)).toMatchObject({ writtenByOtherInstance: 1 });
    // And the dialog is still there for the next answer.
    const next = await c.say(cardButtons(replies.find((a) => cardButtons(a).length)!)[0].data);
    expect(next.map((a) => a.text ?? '').join(' ')).not.toMatch(/nicht mehr aktuell|schiefgegangen/);
  });

  it('two conflicts: the person is asked to send again, and the dialog the other instance saved stays', async () => {
    const c = await dlConversation(srv.url, SECRET);
    await c.say('Termin vereinbaren');
    const restore = interfere(srv.app.kv, c.id, 2);
    let replies;
    try {
      replies = await c.say('Buseck');
    } finally {
      restore();
    }
    expect(replies.map((a) => a.text ?? '').join(' ')).toMatch(/gleichzeitig.*noch einmal/);
    expect(await stateOf(c.id)).toMatchObject({ writtenByOtherInstance: 2 });
    // Not wiped: the booking dialog still asks for the Kommune.
    const again = await c.say('Buseck');
    expect(again.some((a) => cardButtons(a).length > 0)).toBe(true);
  });
});
