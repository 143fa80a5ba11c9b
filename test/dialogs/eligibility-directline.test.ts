import { ConversationState, MemoryStorage, UserState, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EligibilityDialog } from '../../dialogs/EligibilityDialog';
import { MainDialog } from '../../dialogs/MainDialog';
import { dialogServices, otherChildren } from '../helpers/dialog-services';
import { SqliteDb } from '../../src/storage/sqlite';
import { call, SECRET, startHarness, type Harness } from '../channels/directline-harness';
import { createSqliteFile } from '../helpers/db';

/**
 * End to end over the self-hosted Direct Line channel (REST, as Web Chat uses it): MainDialog
 * routes a one-sentence question to the eligibility dialog and the reply carries the
 * machine-readable eligibility entity, read here without parsing German prose.
 */
function eligibilityBot() {
  const storage = new MemoryStorage();
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const services = dialogServices(userState, conversationState);
  const main = new MainDialog(services, { eligibility: new EligibilityDialog(services, () => new Date('2026-11-26T10:00:00Z')), ...otherChildren() });
  const dialogState = conversationState.createProperty<DialogState>('dialogState');
  return {
    async run(ctx: TurnContext): Promise<void> {
      if (ctx.activity.type !== 'message') return;
      await main.run(ctx, dialogState);
      await conversationState.saveChanges(ctx);
      await userState.saveChanges(ctx);
    },
  };
}

describe('eligibility over Direct Line', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(new SqliteDb(createSqliteFile()), { bot: eligibilityBot() });
  });
  afterAll(async () => {
    await h.close();
    await h.db.close();
  });

  async function say(conversationId: string, token: string, text: string): Promise<void> {
    const r = await call(h.url, 'POST', `/v3/directline/conversations/${conversationId}/activities`, { auth: token, body: { type: 'message', from: { id: 'clerk-1' }, text } });
    expect(r.status).toBe(200);
  }

  /** Polls the conversation until the bot has sent `count` messages (as Web Chat does without a stream). */
  async function botMessages(conversationId: string, token: string, count: number): Promise<any[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await call(h.url, 'GET', `/v3/directline/conversations/${conversationId}/activities`, { auth: token });
      const fromBot = (r.body.activities as any[]).filter((a) => a.type === 'message' && a.from.id !== r.body.activities[0]?.from.id);
      if (fromBot.length >= count) return fromBot;
      if (Date.now() > deadline) throw new Error('no reply; had: ' + JSON.stringify(r.body).slice(0, 1500));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('answers "Kann Buseck das KDLZ nutzen?" with a card and the eligibility entity', async () => {
    const started = await call(h.url, 'POST', '/v3/directline/conversations', { auth: SECRET });
    expect(started.status).toBe(201);
    const { conversationId, token } = started.body;
    await say(conversationId, token, 'Kann Buseck das KDLZ nutzen?');
    const [reply] = await botMessages(conversationId, token, 1);
    expect(reply.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(reply.attachments[0].content.version).toBe('1.5');
    const entity = reply.entities.find((e: { type: string }) => e.type === 'eligibility');
    expect(entity).toMatchObject({
      type: 'eligibility',
      programme: 'akc-kdlz-cs',
      eligible: true,
      municipality: { ags: '06531003', name: 'Buseck', kind: 'gemeinde', district: 'Gießen', population: 13358, populationDate: '2023-12-31' },
    });
    expect(entity.reasons[0]).toMatchObject({ rule: 'in-hessen', met: true });
    expect(entity.sources.some((s: { name: string }) => s.name.includes('Destatis'))).toBe(true);
  });

  it('asks back for an ambiguous name and then answers for the chosen Kommune', async () => {
    const started = await call(h.url, 'POST', '/v3/directline/conversations', { auth: SECRET });
    const { conversationId, token } = started.body;
    await say(conversationId, token, 'Kann Kassel das KDLZ nutzen?');
    const [question] = await botMessages(conversationId, token, 1);
    expect(question.text).toMatch(/„Kassel“ gibt es mehrmals/);
    expect(question.suggestedActions.actions.map((a: { title: string }) => a.title)).toEqual(['Kassel – kreisfreie Stadt', 'Landkreis Kassel', 'Andere Kommune']);
    await say(conversationId, token, 'Landkreis Kassel');
    const messages = await botMessages(conversationId, token, 2);
    expect(messages[1].entities[0]).toMatchObject({ type: 'eligibility', eligible: true, municipality: { ags: '06633', kind: 'landkreis' } });
  });
});
