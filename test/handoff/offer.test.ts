import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { isBackToBot, offerHandoff, shouldOfferHandoff } from '../../dialogs/handoff-gate';
import type { DialogServices } from '../../dialogs/services';

function counter(): StatePropertyAccessor<number> & { writes: number } {
  let v: number | undefined;
  const acc = {
    writes: 0,
    get: async (_c: TurnContext, d?: number) => v ?? d,
    set: async (_c: TurnContext, x: number) => {
      acc.writes++;
      v = x;
    },
    delete: async () => {
      v = undefined;
    },
  };
  return acc as never;
}

describe('offering a person', () => {
  it.each([
    [['decline'], [true]],
    [['clarify', 'clarify'], [false, true]],
    [['clarify', 'answer', 'clarify'], [false, false, false]],
    [['clarify', 'clarify', 'clarify', 'answer', 'decline'], [false, true, true, false, true]],
    [['answer', 'emergency'], [false, false]],
  ])('%j → %j', async (kinds, offers) => {
    const streak = counter();
    const services = { clarifyStreak: streak } as unknown as DialogServices;
    const got: boolean[] = [];
    for (const k of kinds) got.push(await shouldOfferHandoff({} as TurnContext, services, k));
    expect(got).toEqual(offers);
  });

  it('writes the streak only when it changes (plain answers cost no state write)', async () => {
    const streak = counter();
    const services = { clarifyStreak: streak } as unknown as DialogServices;
    for (const k of ['answer', 'answer', 'answer']) await shouldOfferHandoff({} as TurnContext, services, k);
    expect(streak.writes).toBe(0);
  });

  it('adds the button after the 👍/👎 actions, as a card value MainDialog handles globally', () => {
    const a = offerHandoff({ suggestedActions: { to: [], actions: [{ type: 'messageBack', title: '👍', value: {} }] } }, true);
    expect(a.suggestedActions!.actions.map((x) => [x.title, (x.value as { kdlz?: string }).kdlz])).toEqual([
      ['👍', undefined],
      ['Mit dem KDLZ-Team sprechen', 'startHandoff'],
    ]);
    expect(offerHandoff({ text: 'x' }, false)).toEqual({ text: 'x' });
  });

  it.each([
    ['zurück zum Bot', true],
    ['Zurueck zum KDLZ-Bot!', true],
    ['zurück', false],
    ['Ich will zurück zum Bot, aber erst noch etwas fragen', false],
  ])('"%s" is "zurück zum Bot": %s', (text, yes) => expect(isBackToBot(text)).toBe(yes));
});
