import { AutoSaveStateMiddleware, MemoryStorage, UserState, type Activity } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { describe, expect, it } from 'vitest';
import { EligibilityDialog, type EligibilityOptions } from '../../dialogs/EligibilityDialog';
import { dialogServices } from '../helpers/dialog-services';
import { createEligibilityService, type EligibilityEntity } from '../../src/eligibility';

const eligibility = createEligibilityService();
const TODAY = new Date('2026-11-26T10:00:00Z');

function setup(options: EligibilityOptions = {}, storage = new MemoryStorage(), now = TODAY) {
  const userState = new UserState(storage);
  const services = dialogServices(userState, undefined, { eligibility });
  const client = new DialogTestClient('test', new EligibilityDialog(services, () => now), options, [new AutoSaveStateMiddleware(userState)]);
  return { client, storage };
}

/** One expected reply: text pattern, and optionally the suggested actions offered. */
type Reply = RegExp | { text: RegExp; actions?: string[] } | 'result';
/** [what the user says, what the bot replies (in order)] — the conversation reads top to bottom. */
type Row = [string, Reply[]];

async function converse(client: DialogTestClient, rows: Row[]): Promise<Partial<Activity>[]> {
  const results: Partial<Activity>[] = [];
  for (const [user, replies] of rows) {
    let reply: Partial<Activity> | undefined = await client.sendActivity(user);
    for (const expected of replies) {
      expect(reply, `reply to "${user}"`).toBeDefined();
      if (expected === 'result') {
        expect(reply!.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
        results.push(reply!);
      } else if (expected instanceof RegExp) {
        expect(reply!.text).toMatch(expected);
      } else {
        expect(reply!.text).toMatch(expected.text);
        if (expected.actions) expect(reply!.suggestedActions?.actions.map((a) => a.title)).toEqual(expected.actions);
      }
      reply = client.getNextReply();
    }
    expect(reply?.text, `no further reply to "${user}"`).toBeUndefined();
  }
  return results;
}

const entityOf = (a: Partial<Activity>): EligibilityEntity => a.entities![0] as unknown as EligibilityEntity;
const cardText = (a: Partial<Activity>): string => JSON.stringify(a.attachments![0].content);

describe('happy paths', () => {
  it('KDLZ for Buseck, guided', async () => {
    const { client } = setup();
    const [result] = await converse(client, [
      ['Förderfähigkeit prüfen', [/Für welche Kommune/]],
      ['Buseck', [{ text: /Was möchten Sie prüfen/, actions: ['KDLZ-CS (Sicherheitsprüfung)', 'IKZ-Förderung'] }]],
      ['KDLZ-CS (Sicherheitsprüfung)', [/Welche Stufe/]],
      ['Stufe 1: Vor-Ort-Bewertung', ['result']],
    ]);
    expect(result.text).toMatch(/Ergebnis für Buseck: Ja/);
    expect(entityOf(result)).toMatchObject({ type: 'eligibility', programme: 'akc-kdlz-cs', eligible: true, municipality: { ags: '06531003', population: 13358, populationDate: '2023-12-31' } });
    const card = result.attachments![0].content as { version: string; actions: { title: string; data: Record<string, unknown> }[] };
    expect(card.version).toBe('1.5');
    expect(card.actions[0]).toMatchObject({ title: 'Termin vereinbaren', data: { kdlz: 'startBooking', kommuneAgs: '06531003', dialogStep: 'eligibility-result' } });
    expect(cardText(result)).toContain('13.358 (Stand 31.12.2023)');
    expect(cardText(result)).toContain('Destatis');
  });

  it('IKZ for Neuhof with two partners needs review and shows the 50,000 € exception', async () => {
    const { client } = setup();
    const [result] = await converse(client, [
      ['Förderfähigkeit prüfen', [/Für welche Kommune/]],
      ['Neuhof', [/Was möchten Sie prüfen/]],
      ['IKZ-Förderung', [/Wie viele Kommunen/]],
      ['zwei', [/alle Partner hessische/]],
      ['ja', [/Auf wie viele Jahre/]],
      ['unbefristet', [/Wie viel Prozent/]],
      ['20 %', ['result']],
    ]);
    expect(result.text).toMatch(/Offen/);
    expect(entityOf(result).eligible).toBeNull();
    expect(entityOf(result).reasons.find((r) => r.rule === 'mindestens-drei-partner')?.met).toBeNull();
    expect(cardText(result)).toContain('50.000 €');
    expect(cardText(result)).not.toContain('startBooking');
  });

  it('IKZ not eligible at 14,9 % savings', async () => {
    const { client } = setup({ kommuneAgs: '06631018', programmeId: 'ikz' });
    const [result] = await converse(client, [
      ['los', [/Wie viele Kommunen/]],
      ['3', [/alle Partner/]],
      ['Ja', [/Jahre/]],
      ['5 Jahre', [/Prozent/]],
      ['14,9', ['result']],
    ]);
    expect(entityOf(result).eligible).toBe(false);
    expect(cardText(result)).toContain('14,9 %');
  });

  it('remembers the Kommune and offers it next time ("Für Buseck?")', async () => {
    const storage = new MemoryStorage();
    await converse(setup({}, storage).client, [
      ['prüfen', [/Für welche Kommune/]],
      ['Buseck', [/Was möchten Sie prüfen/]],
      ['abbrechen', [/abgebrochen/]],
    ]);
    const [result] = await converse(setup({}, storage).client, [
      ['prüfen', [{ text: /Geht es um \*\*Buseck\*\*/, actions: ['Ja, Buseck', 'Andere Kommune'] }]],
      ['Ja, Buseck', [/Was möchten Sie prüfen/]],
      ['1', [/Welche Stufe/]],
      ['Stufe 1', ['result']],
    ]);
    expect(entityOf(result).municipality?.name).toBe('Buseck');
    await converse(setup({}, storage).client, [
      ['prüfen', [/Geht es um \*\*Buseck\*\*/]],
      ['Andere Kommune', [/Für welche Kommune/]],
      ['Lich', [/Was möchten Sie prüfen/]],
    ]);
    await converse(setup({}, storage).client, [['prüfen', [/Geht es um \*\*Lich\*\*/]], ['Fernwald', [/Was möchten Sie prüfen/]]]);
    // Neither yes nor no nor one Kommune: the question turns into the Kommune question.
    await converse(setup({}, storage).client, [
      ['prüfen', [/Geht es um \*\*Fernwald\*\*/]],
      ['Fulda', [{ text: /„Fulda“ gibt es mehrmals/, actions: ['Fulda – Stadt im Landkreis Fulda', 'Landkreis Fulda', 'Andere Kommune'] }]],
      ['1', [/Was möchten Sie prüfen/]],
    ]);
  });

  it('stage 2 needs stage 1 and implemented recommendations', async () => {
    const { client } = setup({ kommuneAgs: '06531003', programmeId: 'kdlz' });
    const [result] = await converse(client, [
      ['start', [/Welche Stufe/]],
      ['Stufe 2: Stresstest', [/Vor-Ort-Bewertung \(Stufe 1\) bei Ihnen abgeschlossen/]],
      ['ja', [/Empfehlungen aus Stufe 1 umgesetzt/]],
      ['nein', ['result']],
    ]);
    expect(entityOf(result).eligible).toBe(false);
  });
});

describe('IKZ: expiry caveat and associations', () => {
  const CAVEAT = 'läuft nach heutigem Stand bis Ende 2026; Fortführung nicht belegt – vor einem Antrag beim KIKZ klären';
  const ikz = (now: Date) =>
    converse(setup({ kommuneAgs: '06631018', programmeId: 'ikz' }, new MemoryStorage(), now).client, [
      ['los', [/Wie viele Kommunen/]],
      ['3', [/alle Partner/]],
      ['Ja', [/Jahre/]],
      ['5 Jahre', [/Prozent/]],
      ['15', ['result']],
    ]);

  it('asked "today" within 90 days of the assumed end, the eligible result carries the caveat', async () => {
    const [result] = await ikz(TODAY);
    expect(entityOf(result).eligible).toBe(true);
    expect(cardText(result)).toContain(CAVEAT);
    expect(entityOf(result).notice).toContain(CAVEAT);
  });

  it('asked on a day before that window, it does not', async () => {
    const [result] = await ikz(new Date('2026-06-01T10:00:00Z'));
    expect(entityOf(result).eligible).toBe(true);
    expect(cardText(result)).not.toContain('Fortführung nicht belegt');
  });

  it('a Zweckverband says so at the Kommune question and is checked as an applicant', async () => {
    const { client } = setup({ text: 'Kann unser Zweckverband IKZ-Förderung bekommen?' });
    const [result] = await converse(client, [
      ['Kann unser Zweckverband IKZ-Förderung bekommen?', [/Für welche Kommune/]],
      ['Zweckverband Abwasser Oberes Fuldatal', [/Wie viele Kommunen/]],
      ['3', [/alle Partner/]],
      ['Ja', [/Jahre/]],
      ['unbefristet', [/Prozent/]],
      ['20', ['result']],
    ]);
    expect(result.text).toMatch(/Ergebnis für Zweckverband Abwasser Oberes Fuldatal: Ja/);
    expect(entityOf(result)).toMatchObject({ programme: 'ikz-rahmenvereinbarung', eligible: true, municipality: null });
    expect(cardText(result)).toContain('nach Ihrer Angabe ein Zweckverband');
    expect(cardText(result)).toContain('des zuständigen Gremiums des Verbands');
    expect(cardText(result)).not.toContain('startBooking');
  });
});

describe('one-sentence questions are answered in that turn', () => {
  it('"Kann Buseck das KDLZ nutzen?" → result at once, stage 1 assumed and said so', async () => {
    const { client } = setup({ text: 'Kann Buseck das KDLZ nutzen?' });
    const [result] = await converse(client, [['Kann Buseck das KDLZ nutzen?', ['result']]]);
    expect(entityOf(result)).toMatchObject({ programme: 'akc-kdlz-cs', eligible: true });
    expect(cardText(result)).toContain('Geprüft für Stufe 1');
  });

  it('"Kann der Landkreis Gießen das KDLZ nutzen?" → the Landkreis, eligible', async () => {
    const { client } = setup({ text: 'Kann der Landkreis Gießen das KDLZ nutzen?' });
    const [result] = await converse(client, [['Kann der Landkreis Gießen das KDLZ nutzen?', ['result']]]);
    expect(entityOf(result).municipality).toMatchObject({ ags: '06531', kind: 'landkreis' });
  });

  it('"Ist Limburg förderfähig?" → asks only the IKZ questions', async () => {
    const { client } = setup({ text: 'Ist Limburg förderfähig?' });
    const [result] = await converse(client, [
      ['Ist Limburg förderfähig?', [/Wie viele Kommunen/]],
      ['4 oder mehr', [/alle Partner/]],
      ['ja', [/Jahre/]],
      ['10', [/Prozent/]],
      ['15', ['result']],
    ]);
    expect(entityOf(result)).toMatchObject({ programme: 'ikz-rahmenvereinbarung', eligible: true, municipality: { name: 'Limburg a. d. Lahn, Kreisstadt' } });
    expect(cardText(result)).toContain('100.000 €');
  });

  it('"Kann Gießen das KDLZ nutzen?" → question back showing the district, then the result', async () => {
    const { client } = setup({ text: 'Kann Gießen das KDLZ nutzen?' });
    const [result] = await converse(client, [
      ['Kann Gießen das KDLZ nutzen?', [{ text: /„Gießen“ gibt es mehrmals/, actions: ['Gießen – Stadt im Landkreis Gießen', 'Landkreis Gießen', 'Andere Kommune'] }]],
      ['Gießen – Stadt im Landkreis Gießen', ['result']],
    ]);
    expect(entityOf(result).municipality?.ags).toBe('06531005');
  });

  it('"Kann Mainz das KDLZ nutzen?" → not in Hessen, asks for a Hessian Kommune', async () => {
    const { client } = setup({ text: 'Kann Mainz das KDLZ nutzen?' });
    await converse(client, [
      ['Kann Mainz das KDLZ nutzen?', [/Mainz liegt nicht in Hessen \(Rheinland-Pfalz\)/]],
      ['Buseck', ['result']],
    ]);
  });

  it('"Können wir das KDLZ nutzen?" with a saved Kommune asks only "Für Buseck?"', async () => {
    const storage = new MemoryStorage();
    await converse(setup({}, storage).client, [['x', [/Für welche Kommune/]], ['Buseck', [/Was möchten/]]]);
    const { client } = setup({ text: 'Können wir das KDLZ nutzen?' }, storage);
    await converse(client, [
      ['Können wir das KDLZ nutzen?', [/Geht es um \*\*Buseck\*\*/]],
      ['ja', ['result']],
    ]);
  });
});

describe('re-prompts with a hint', () => {
  it('Kommune: unknown, ambiguous, outside Hessen, then a pick by number', async () => {
    const { client } = setup();
    await converse(client, [
      ['prüfen', [/Für welche Kommune/]],
      ['Xyzabc', [/„Xyzabc“ finde ich nicht im Gemeindeverzeichnis/]],
      ['Würzburg', [/Würzburg liegt nicht in Hessen \(Bayern\)/]],
      ['Ich bin aus Buseck und frage für uns', [/Was möchten Sie prüfen/]],
      ['zurück', [/Geht es um \*\*Buseck\*\*|Für welche Kommune/]],
    ]);
  });

  it('Kommune: ambiguous names are asked back with the district', async () => {
    const { client } = setup();
    await converse(client, [
      ['prüfen', [/Für welche Kommune/]],
      ['Lautertal', [{ text: /gibt es mehrmals/, actions: ['Lautertal (Odenwald) – Gemeinde im Kreis Bergstraße', 'Lautertal (Vogelsberg) – Gemeinde im Vogelsbergkreis', 'Andere Kommune'] }]],
      ['2', [/Was möchten Sie prüfen/]],
    ]);
  });

  it('Kommune: a typo with suggestions', async () => {
    const { client } = setup();
    await converse(client, [
      ['prüfen', [/Für welche Kommune/]],
      ['Bussk', [/Meinten Sie eine davon/]],
    ]);
    const again = await client.sendActivity('Bussk');
    expect(again.suggestedActions?.actions.map((a) => a.title)).toContain('Buseck – Gemeinde im Landkreis Gießen');
  });

  it('programme, partners, yes/no, duration, savings, stage', async () => {
    const ikz = setup({ kommuneAgs: '06531003' }).client;
    await converse(ikz, [
      ['start', [/Was möchten Sie prüfen/]],
      ['Kuchen', [/Bitte wählen Sie „KDLZ-CS“/]],
      ['IKZ', [/Wie viele Kommunen/]],
      ['viele', [/Zahl der beteiligten Kommunen/]],
      ['2,5', [/Zahl der beteiligten Kommunen/]],
      ['0', [/Zahl der beteiligten Kommunen/]],
      ['3', [/alle Partner/]],
      ['vielleicht', [/„Ja“, „Nein“ oder „Weiß nicht“/]],
      ['Weiß nicht', [/Jahre/]],
      ['lange', [/Dauer in Jahren/]],
      ['5', [/Prozent/]],
      ['120', [/Zahl zwischen 0 und 100/]],
      ['keine Ahnung', ['result']],
    ]);
    const kdlz = setup({ kommuneAgs: '06531003', programmeId: 'kdlz' }).client;
    await converse(kdlz, [
      ['start', [/Welche Stufe/]],
      ['Stufe 3', [/„Stufe 1“ \(Vor-Ort-Bewertung\) oder „Stufe 2“/]],
    ]);
  });
});

describe('interruptions at every step', () => {
  const steps: [string, EligibilityOptions, string[], RegExp][] = [
    ['Kommune', {}, [], /Für welche Kommune/],
    ['programme', { kommuneAgs: '06531003' }, [], /Was möchten Sie prüfen/],
    ['partners', { kommuneAgs: '06531003', programmeId: 'ikz' }, [], /Wie viele Kommunen/],
    ['all partners Hessian', { kommuneAgs: '06531003', programmeId: 'ikz' }, ['3'], /alle Partner/],
    ['duration', { kommuneAgs: '06531003', programmeId: 'ikz' }, ['3', 'ja'], /Jahre/],
    ['savings', { kommuneAgs: '06531003', programmeId: 'ikz' }, ['3', 'ja', '5'], /Prozent/],
    ['stage', { kommuneAgs: '06531003', programmeId: 'kdlz' }, [], /Welche Stufe/],
    ['stage 1 done', { kommuneAgs: '06531003', programmeId: 'kdlz' }, ['2'], /abgeschlossen/],
  ];

  /** Starts the dialog and answers until the step under test is the open question. */
  async function reach(options: EligibilityOptions, answers: string[], question: RegExp): Promise<DialogTestClient> {
    const { client } = setup(options);
    let last = await client.sendActivity('start');
    for (const a of answers) last = await client.sendActivity(a);
    expect(last.text).toMatch(question);
    return client;
  }

  it.each(steps)('"hilfe" at %s explains and asks again', async (_name, options, answers, question) => {
    const client = await reach(options, answers, question);
    await converse(client, [['hilfe', [/„zurück“, „neu starten“ oder „abbrechen“/, question]]]);
  });

  it.each(steps)('"abbrechen" at %s ends the dialog', async (_name, options, answers, question) => {
    const client = await reach(options, answers, question);
    await converse(client, [['abbrechen', [/abgebrochen/]]]);
    expect(client.dialogTurnResult).toMatchObject({ status: 'complete', result: { cancelled: true } });
  });

  it.each(steps)('"neu starten" at %s starts the check from the first open question', async (_name, options, answers, question) => {
    const client = await reach(options, answers, question);
    await converse(client, [['neu starten', [/von vorn/, /Für welche Kommune/]]]);
  });

  it('"zurück" goes back one question at a time, also across the Kommune', async () => {
    const { client } = setup();
    await converse(client, [
      ['start', [/Für welche Kommune/]],
      ['zurück', [/schon bei der ersten Frage/, /Für welche Kommune/]],
      ['Buseck', [/Was möchten Sie prüfen/]],
      ['IKZ', [/Wie viele Kommunen/]],
      ['3', [/alle Partner/]],
      ['zurück', [/Wie viele Kommunen/]],
      ['zurück', [/Was möchten Sie prüfen/]],
      ['zurück', [/Geht es um \*\*Buseck\*\*|Für welche Kommune/]],
    ]);
  });

  it('a button from an older card is recognised as stale', async () => {
    const { client } = setup({ kommuneAgs: '06531003' });
    await client.sendActivity('start');
    const reply = await client.sendActivity({ type: 'message', value: { kdlz: 'eligibility', dialogStep: 'programme' } } as Partial<Activity>);
    expect(reply.text).toMatch(/früheren Frage/);
    expect(client.getNextReply()?.text).toMatch(/Was möchten Sie prüfen/);
  });
});
