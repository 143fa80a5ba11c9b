import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BookingEntity, REFERENCE_PATTERN } from '../../src/booking';
import { call, SECRET } from '../channels/directline-harness';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * One booking end to end through the real app over its self-hosted Direct Line channel (REST,
 * as Web Chat uses it): MainDialog → BookingDialog → BookingService → outbox. The confirmation
 * is checked through the machine-readable booking entity, not the German prose.
 */
let srv: TestServer;
const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'kdlz-dl-outbox-'));
beforeAll(async () => {
  srv = await startTestServer({ DIRECT_LINE_SECRET: SECRET, OUTBOX_DIR: outboxDir, BOOKING_RETRY_BASE_SEC: '1' });
});
afterAll(async () => {
  await srv?.close();
});

describe('booking over Direct Line', () => {
  it('books a slot and returns the booking entity; the confirmation mails land in the outbox', async () => {
    const started = await call(srv.url, 'POST', '/v3/directline/conversations', { auth: SECRET });
    expect(started.status).toBe(201);
    const { conversationId, token } = started.body as { conversationId: string; token: string };
    let seen = 0;
    let botId = '';
    /** Sends text or a card value and returns the bot's new messages. */
    const turn = async (input: string | object, expect_ = 1): Promise<any[]> => {
      const body = typeof input === 'string' ? { type: 'message', from: { id: 'clerk-dl' }, text: input } : { type: 'message', from: { id: 'clerk-dl' }, value: input };
      const r = await call(srv.url, 'POST', `/v3/directline/conversations/${conversationId}/activities`, { auth: token, body });
      expect(r.status).toBe(200);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const list = await call(srv.url, 'GET', `/v3/directline/conversations/${conversationId}/activities`, { auth: token });
        const fromBot = (list.body.activities as any[]).filter((a) => a.type === 'message' && a.from.id === botId);
        if (fromBot.length >= seen + expect_) {
          const fresh = fromBot.slice(seen);
          seen = fromBot.length;
          return fresh;
        }
        if (Date.now() > deadline) throw new Error('no reply; had: ' + JSON.stringify(fromBot.slice(seen)).slice(0, 800));
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // The welcome message on joining comes first; count it as seen.
    const welcome = await turnless();
    expect(welcome[0].text).toMatch(/KDLZ-Bot/);
    async function turnless(): Promise<any[]> {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const list = await call(srv.url, 'GET', `/v3/directline/conversations/${conversationId}/activities`, { auth: token });
        const fromBot = (list.body.activities as any[]).filter((a) => a.type === 'message');
        if (fromBot.length) {
          seen = fromBot.length;
          botId = fromBot[0].from.id;
          return fromBot;
        }
        if (Date.now() > deadline) return [];
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const buttons = (a: any): { title: string; data: object }[] => a.attachments[0].content.actions;

    expect((await turn('Termin vereinbaren'))[0].text).toMatch(/Für welche Kommune/);
    const [types] = await turn('Buseck');
    const online = buttons(types).find((b) => b.title.includes('Stresstest'))!;
    expect((await turn(online.data))[0].text).toMatch(/Wann passt es Ihnen/);
    const [slots] = await turn('Nächster freier Termin');
    expect(buttons(slots).length).toBeGreaterThan(1);
    expect((await turn(buttons(slots)[0].data))[0].text).toMatch(/Datenschutz/);
    await turn('Ja, einverstanden');
    await turn('Erika Muster');
    await turn('IT-Leitung');
    await turn('erika.muster@gemeinde.example');
    expect((await turn('0123 456789'))[0].text).toMatch(/Bitte prüfen Sie die Angaben/);
    const [done] = await turn('Verbindlich buchen');
    const entity = done.entities.find((e: { type: string }) => e.type === 'booking') as BookingEntity;
    expect(entity).toMatchObject({ type: 'booking', status: 'confirmed', appointmentType: 'Stufe 2: externer Stresstest (erst nach Stufe 1 und umgesetzten Empfehlungen)', municipality: { ags: '06531003', name: 'Buseck' } });
    expect(entity.reference).toMatch(REFERENCE_PATTERN);
    expect(Date.parse(entity.end) - Date.parse(entity.start)).toBe(60 * 60_000);
    expect(done.attachments.some((a: { contentType: string }) => a.contentType === 'text/calendar')).toBe(true);

    // The outbox delivers the e-mails (no SMTP configured: .eml files) for contact and advisor.
    const deadline = Date.now() + 10_000;
    while (readdirSync(outboxDir).filter((f) => f.startsWith(entity.reference) && f.endsWith('.eml')).length < 2) {
      if (Date.now() > deadline) throw new Error('no .eml files in ' + outboxDir);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});
