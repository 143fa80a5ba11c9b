import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../setup/free-port';
import { cardButtons, dlConversation, type DlConversation } from '../helpers/dl-conversation';
import { findInDatabase, findInFiles } from '../helpers/find-everywhere';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * Issue 13, item 7: after "Meine Daten löschen" the person's e-mail address is in no table and
 * in no file under the data directory (SQLite file and WAL included, .eml outbox included);
 * after the retention pass, the same holds for everyone. Only the built-in stores; the handoff
 * has its own test.
 */
const SECRET = randomBytes(32).toString('base64url');
const MINE = 'erika.loeschen@gemeinde.example';
const THEIRS = 'max.bleibt@gemeinde.example';
let srv: TestServer;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'kdlz-erase-'));
  srv = await startTestServer({
    DIRECT_LINE_SECRET: SECRET,
    SQLITE_FILE: path.join(dataDir, 'kdlz.db'),
    OUTBOX_DIR: path.join(dataDir, 'outbox'),
    // A webhook nobody answers: its outbox rows stay undelivered, with the contact snapshot.
    BOOKING_WEBHOOK_URL: `http://127.0.0.1:${await freePort()}/hook`,
    BOOKING_WEBHOOK_SECRET: randomBytes(32).toString('base64url'),
    BOOKING_RETRY_BASE_SEC: '3600',
  });
});
afterAll(async () => {
  await srv?.close();
});

async function book(c: DlConversation, email: string): Promise<string> {
  await c.say('Termin vereinbaren');
  const [types] = await c.say('Buseck');
  await c.say(cardButtons(types).find((b) => b.title.includes('Stresstest'))!.data);
  const [slots] = await c.say('Nächster freier Termin');
  await c.say(cardButtons(slots)[0].data);
  await c.say('Ja, einverstanden');
  await c.say('Erika Muster');
  await c.say('IT-Leitung');
  await c.say(email);
  await c.say('0123 456789');
  const [done] = await c.say('Verbindlich buchen');
  const reference = done.entities.find((e: { type: string }) => e.type === 'booking').reference as string;
  const deadline = Date.now() + 15_000;
  const mails = () => {
    try {
      return readdirSync(path.join(dataDir, 'outbox')).filter((f) => f.startsWith(reference) && f.endsWith('.eml'));
    } catch {
      return []; // the outbox directory is made with the first mail
    }
  };
  while (mails().length < 2) {
    if (Date.now() > deadline) throw new Error('no .eml files');
    await new Promise((r) => setTimeout(r, 100));
  }
  return reference;
}

describe('"Meine Daten löschen" reaches every store', () => {
  it('leaves the e-mail address in no table and no file; another person\'s data stays', async () => {
    const mine = await dlConversation(srv.url, SECRET);
    const theirs = await dlConversation(srv.url, SECRET);
    await book(mine, MINE);
    await book(theirs, THEIRS);
    // More traces: a question the knowledge base declines, feedback, and a second booking left
    // at the contact step (the address sits in the dialog state).
    await mine.say(`Bitte schicken Sie mir Kuchenrezepte an ${MINE}`);
    await mine.say({ kdlz: 'feedback', helpful: false, question: `Kuchen für ${MINE}?`, answerKind: 'decline' });
    await mine.say('Termin vereinbaren');
    const [types] = await mine.say('Buseck');
    await mine.say(cardButtons(types)[0].data);
    const [slots] = await mine.say('Nächster freier Termin');
    await mine.say(cardButtons(slots)[0].data);
    await mine.say('Ja, einverstanden');
    await mine.say('Erika Muster');
    await mine.say('IT-Leitung');
    await mine.say(MINE);

    expect((await findInDatabase(srv.app.db, MINE)).length).toBeGreaterThan(3);
    expect(findInFiles(dataDir, MINE).length).toBeGreaterThan(0);

    await mine.say('Meine Daten löschen');
    const done = await mine.say('Ja, löschen');
    expect(done.map((a) => a.text).join(' ')).toMatch(/Erledigt/);

    expect(await findInDatabase(srv.app.db, MINE)).toEqual([]);
    expect(findInFiles(dataDir, MINE)).toEqual([]);
    // The other person's booking, mails and notifications are untouched.
    expect((await findInDatabase(srv.app.db, THEIRS)).length).toBeGreaterThan(0);
    expect(findInFiles(path.join(dataDir, 'outbox'), THEIRS).length).toBeGreaterThan(0);
  });

  it('the retention pass, past every period, leaves no one\'s address anywhere', async () => {
    const registry = srv.app.domain.personalData;
    const longest = Math.max(...registry.stores().map((s) => s.retention.ms));
    // Appointments lie up to the booking horizon ahead; retention counts from their end.
    const later = Date.now() + longest + 400 * 86_400_000;
    const outcomes = await registry.deleteExpired(later);
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    await srv.app.db.scrub();
    expect(await findInDatabase(srv.app.db, THEIRS)).toEqual([]);
    expect(findInFiles(dataDir, THEIRS)).toEqual([]);
  });
});
