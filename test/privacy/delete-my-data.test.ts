import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, SECRET } from '../channels/directline-harness';
import { findInDatabase } from '../helpers/find-everywhere';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * "Meine Daten löschen" and the retention job through the real app: both walk the one
 * personal-data registry, so whatever a person left in any registered store goes.
 */
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ DIRECT_LINE_SECRET: SECRET });
});
afterAll(async () => {
  await srv?.close();
});

async function conversation(): Promise<{ id: string; say(body: object): Promise<string[]> }> {
  const started = await call(srv.url, 'POST', '/v3/directline/conversations', { auth: SECRET });
  const { conversationId, token } = started.body as { conversationId: string; token: string };
  let watermark = '0';
  return {
    id: conversationId,
    async say(body) {
      const r = await call(srv.url, 'POST', `/v3/directline/conversations/${conversationId}/activities`, { auth: token, body: { type: 'message', ...body } });
      expect(r.status).toBe(200);
      // The POST returns after the turn ran: its replies are stored.
      const list = await call(srv.url, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=${watermark}`, { auth: token });
      watermark = list.body.watermark;
      return (list.body.activities as any[]).filter((a) => a.from.role === 'bot' && a.type === 'message').map((a) => a.text as string);
    },
  };
}

describe('personal data: one registry for deletion and retention', () => {
  it('"Meine Daten löschen" removes the questions, feedback, transcript and state of this person, and nothing of others', async () => {
    const mine = 'erika.muster@example.org';
    const theirs = 'max.other@example.org';
    const a = await conversation();
    const b = await conversation();
    // Questions the knowledge base cannot answer are kept for the editors, e-mail and all.
    await a.say({ text: `Können Sie mir die Rezepte für Apfelkuchen an ${mine} schicken?` });
    await a.say({ value: { kdlz: 'feedback', helpful: false, question: 'Wie backe ich Apfelkuchen?', answerKind: 'decline' } });
    await b.say({ text: `Können Sie mir die Rezepte für Birnenkuchen an ${theirs} schicken?` });
    expect(await findInDatabase(srv.app.db, mine)).not.toEqual([]);
    const feedbackBefore = await srv.app.db.query('SELECT * FROM knowledge_feedback WHERE conversation_id = $1', [a.id]);
    expect(feedbackBefore).toHaveLength(1);

    // The person's conversation names the e-mail address (the knowledge store matches by it).
    await a.say({ text: 'Meine Daten löschen' });
    const done = await a.say({ text: 'Ja, löschen' });
    expect(done.join(' ')).toMatch(/Erledigt/);

    expect(await findInDatabase(srv.app.db, mine)).toEqual([]);
    expect(await srv.app.db.query('SELECT * FROM knowledge_feedback WHERE conversation_id = $1', [a.id])).toEqual([]);
    // The transcript of the conversation holds only what came after the deletion.
    const transcript = await srv.app.db.query<{ body: string }>('SELECT body FROM directline_activities WHERE conversation_id = $1', [a.id]);
    expect(transcript.map((r) => JSON.parse(r.body).text).join(' ')).not.toMatch(/Apfelkuchen|Meine Daten/);
    // Somebody else's question and conversation stay.
    expect((await findInDatabase(srv.app.db, theirs)).length).toBeGreaterThan(0);
  });

  it('the retention pass removes whatever outlived its period in every store', async () => {
    const c = await conversation();
    await c.say({ text: 'Können Sie mir ein Rezept für Zwetschgendatschi geben?' });
    const registry = srv.app.domain.personalData;
    const count = async () => (await findInDatabase(srv.app.db, 'Zwetschgendatschi')).length;
    expect(await count()).toBeGreaterThan(0);
    // Nothing is old enough yet.
    await registry.deleteExpired(Date.now());
    expect(await count()).toBeGreaterThan(0);
    // Past the longest period of all stores, nothing of the conversation is left.
    const longest = Math.max(...registry.stores().map((s) => s.retention.ms));
    const outcomes = await registry.deleteExpired(Date.now() + longest + 60_000);
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(await count()).toBe(0);
    expect(await srv.app.db.query("SELECT key FROM kv_state WHERE key LIKE 'bot:%'")).toEqual([]);
  });
});
