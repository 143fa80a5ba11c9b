import { type Activity, AutoSaveStateMiddleware, MemoryStorage, UserState } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BookingDialog, type BookingOptions } from '../../dialogs/BookingDialog';
import { DeleteMyDataDialog } from '../../dialogs/DeleteMyDataDialog';
import { MyAppointmentsDialog } from '../../dialogs/MyAppointmentsDialog';
import { dialogServices } from '../helpers/dialog-services';
import { BookingService, bookingContactsStore, bookingMigrations, type BookingEntity } from '../../src/booking';
import { PersonalDataRegistry } from '../../src/privacy';
import { createEligibilityService } from '../../src/eligibility';
import type { Db } from '../../src/storage';
import { clock, contact, sequentialCodes, testCalendar } from '../booking/fixtures';
import { openTestDb } from '../helpers/db';

const eligibility = createEligibilityService();
const BUSECK = '06531003';
const dbs: Db[] = [];
afterEach(async () => {
  while (dbs.length) await dbs.pop()!.close();
});

async function setup(opts: { options?: BookingOptions; channel?: string; dialog?: 'booking' | 'mine' | 'delete'; storage?: MemoryStorage; service?: BookingService } = {}) {
  const c = clock('2026-06-01T06:00:00Z'); // Monday 08:00 Berlin
  let service = opts.service;
  if (!service) {
    const db = await openTestDb('sqlite', bookingMigrations);
    dbs.push(db);
    service = new BookingService({
      db,
      calendar: testCalendar(),
      referenceCode: sequentialCodes(),
      now: c.now,
      kommune: (ags) => {
        const k = eligibility.register.byAgs(ags);
        return k ? { ags, name: k.shortName } : undefined;
      },
    });
  }
  const storage = opts.storage ?? new MemoryStorage();
  const userState = new UserState(storage);
  const personalData = new PersonalDataRegistry();
  personalData.register(bookingContactsStore({ service, retentionDays: 90 }));
  const services = dialogServices(userState, undefined, { booking: service, personalData });
  const dialog =
    opts.dialog === 'mine' ? new MyAppointmentsDialog(services)
    : opts.dialog === 'delete' ? new DeleteMyDataDialog(services)
    : new BookingDialog(services, { retentionDays: 90, privacyUrl: 'https://example.invalid/datenschutz' });
  const client = new DialogTestClient(opts.channel ?? 'webchat', dialog, opts.options ?? {}, [new AutoSaveStateMiddleware(userState)]);
  return { client, service, clock: c, storage, profile: services.userProfile };
}

type Check = RegExp | ((a: Partial<Activity>) => void);
/** [what the user says or presses, what the bot replies in order]: the conversation reads top to bottom. */
type Row = [string | Record<string, unknown>, Check[]];

const textOf = (a: Partial<Activity>): string => [a.text ?? '', ...(a.attachments ?? []).map((x) => JSON.stringify(x.content ?? ''))].join(' ');

async function converse(client: DialogTestClient, rows: Row[]): Promise<Partial<Activity>[]> {
  const all: Partial<Activity>[] = [];
  for (const [user, checks] of rows) {
    const activity: Partial<Activity> = typeof user === 'string' ? { type: 'message', text: user } : { type: 'message', value: user };
    let reply: Partial<Activity> | undefined = await client.sendActivity(activity);
    for (const check of checks) {
      expect(reply, `reply to ${JSON.stringify(user)}`).toBeDefined();
      if (check instanceof RegExp) expect(textOf(reply!)).toMatch(check);
      else check(reply!);
      all.push(reply!);
      reply = client.getNextReply();
    }
    expect(reply && textOf(reply), `no further reply to ${JSON.stringify(user)}`).toBeUndefined();
  }
  return all;
}

const buttons = (a: Partial<Activity>): { title: string; data: Record<string, unknown> }[] =>
  ((a.attachments?.[0]?.content as { actions?: { title: string; data: Record<string, unknown> }[] })?.actions ?? []);
const actions = (a: Partial<Activity>): string[] => a.suggestedActions?.actions.map((x) => String(x.title)) ?? [];

const PICK = (round: number, index: number, step = 'slot') => ({ kdlz: 'booking.pick', step, round, index });

/** Runs the booking up to the slot card; returns the card. */
async function toSlots(client: DialogTestClient): Promise<Partial<Activity>> {
  const replies = await converse(client, [
    ['Termin vereinbaren', [/Für welche Kommune/]],
    ['Buseck', [/Welche Art von Termin/]],
    ['2', [/Wann passt es Ihnen/]],
    ['nächste Woche', [/vom 08\.06\. bis 12\.06\.2026 frei/]],
  ]);
  return replies.at(-1)!;
}

const CONTACT_ROWS: Row[] = [
  ['Erika Muster', [/Funktion/]],
  ['IT-Leitung', [/E-Mail-Adresse/]],
  ['erika.muster@gemeinde.example', [/Telefonnummer/]],
  ['0123 456789', [/Bitte prüfen Sie die Angaben/]],
];

describe('BookingDialog: the whole flow', () => {
  it('books with card presses and typed answers; confirmation carries reference, .ics and the booking entity', async () => {
    const { client, service, storage } = await setup();
    const slotsCard = await toSlots(client);
    const b = buttons(slotsCard);
    expect(b.length).toBe(7); // six slots + "Andere Woche"
    expect(b[0].title).toBe('1. Mo 08.06. · 08:00–09:00 Uhr');
    expect(b.at(-1)!.title).toBe('Andere Woche');
    expect(slotsCard.attachments![0].content.version).toBe('1.5');
    const replies = await converse(client, [
      [b[0].data, [(a) => expect(a.text).toMatch(/Hinweis zum Datenschutz[\s\S]*Was:[\s\S]*Wozu:[\s\S]*bis 90 Tage nach dem Termin[\s\S]*Wer sieht sie:[\s\S]*example\.invalid\/datenschutz/)]],
      ['Ja, einverstanden', [/Wie heißt die Ansprechperson/]],
      ['E', [/Vor- und Nachnamen der Ansprechperson, z\. B\./]],
      ['Erika Muster', [/Funktion/]],
      ['IT-Leitung', [/E-Mail-Adresse/]],
      ['erika@gemeinde', [/Beispiel: vorname\.nachname@gemeinde\.example/]],
      ['erika.muster@gemeinde.example', [/Telefonnummer/]],
      ['12', [/mit Vorwahl, z\. B\./]],
      ['0123 456789', [(a) => {
        expect(a.text).toMatch(/Bitte prüfen Sie die Angaben/);
        expect(actions(a)).toEqual(['Verbindlich buchen', 'Abbrechen']);
        expect(textOf(a)).toMatch(/Buseck[\s\S]*Online-Beratung[\s\S]*Montag, 08\.06\.2026, 08:00–09:00 Uhr[\s\S]*Erika Muster \(IT-Leitung\)/);
      }]],
      ['Verbindlich buchen', [/Ihr Termin ist gebucht.*KDLZ-2026-00001.*erika\.muster@gemeinde\.example/]],
    ]);
    const done = replies.at(-1)!;
    const entity = done.entities![0] as unknown as BookingEntity;
    expect(entity).toEqual({
      type: 'booking',
      reference: 'KDLZ-2026-00001',
      status: 'confirmed',
      start: '2026-06-08T06:00:00.000Z',
      end: '2026-06-08T07:00:00.000Z',
      appointmentType: 'Online-Beratung',
      municipality: { ags: BUSECK, name: 'Buseck' },
    });
    const ics = done.attachments!.find((a) => a.contentType === 'text/calendar')!;
    expect(ics.name).toBe('KDLZ-2026-00001.ics');
    const icsText = Buffer.from(ics.contentUrl!.split(',')[1], 'base64').toString('utf8');
    expect(icsText).toContain('DTSTART;TZID=Europe/Berlin:20260608T080000');
    expect(icsText).toContain('ORGANIZER;CN="KDLZ Test":mailto:termine@example.invalid');
    expect(icsText).toContain('LOCATION:Online (Link folgt)');
    const booking = await service.getByReference('KDLZ-2026-00001');
    expect(booking!.contact).toEqual({ ...contact, email: 'erika.muster@gemeinde.example' });
    expect(booking!.channelUserId).toBeTruthy();
    // Web chat user ids are not authenticated: "Meine Termine" asks for reference and e-mail even here.
    const mine = await setup({ dialog: 'mine', storage, service });
    await converse(mine.client, [['Meine Termine', [/Buchungsnummer/]]]);
  });

  it('Teams: the booking shows up under "Meine Termine" without asking', async () => {
    const { client, service, storage } = await setup({ channel: 'msteams', options: { kommuneAgs: BUSECK, appointmentTypeId: 'online' } });
    const [card] = await converse(client, [['Termin', [/Wann passt/]], ['nächste Woche', [/frei/]]]).then((r) => r.slice(-1));
    await converse(client, [[buttons(card)[0].data, [/Datenschutz/]], ['ja', [/Ansprechperson/]], ...CONTACT_ROWS, ['ja', [/gebucht/]]]);
    const mine = await setup({ dialog: 'mine', channel: 'msteams', storage, service });
    await converse(mine.client, [['Meine Termine', [/Ihr anstehender Termin/, /KDLZ-2026-00001 tun/]]]);
  });

  it('starts from the eligibility result: Kommune and type known, the first question is the week', async () => {
    const { client } = await setup({ options: { kommuneAgs: BUSECK, appointmentTypeId: 'vor-ort' } });
    await converse(client, [
      ['Termin', [/Wann passt es Ihnen/]],
      ['15.06.', [(a) => expect(buttons(a)[0].title).toBe('1. Mo 15.06. · 08:00–10:00 Uhr')]],
    ]);
  });

  it('a slot taken meanwhile: "gerade vergeben" and fresh slots without it', async () => {
    const { client, service } = await setup();
    const card = await toSlots(client);
    const first = buttons(card)[0];
    await service.book({ ags: BUSECK, appointmentTypeId: 'online', startMs: Date.parse('2026-06-08T06:00:00Z'), contact, idempotencyKey: 'other' });
    await converse(client, [
      [first.data, [(a) => {
        expect(textOf(a)).toMatch(/gerade vergeben/);
        expect(buttons(a).map((x) => x.title)).not.toContain('1. Mo 08.06. · 08:00–09:00 Uhr');
        expect(buttons(a)[0].data.round).toBe(3);
      }]],
    ]);
  });

  it('the hold expired and someone else booked meanwhile: confirm says "gerade vergeben" and shows fresh slots', async () => {
    const { client, service, clock: c } = await setup();
    const card = await toSlots(client);
    await converse(client, [[buttons(card)[0].data, [/Datenschutz/]], ['ja', [/Ansprechperson/]], ...CONTACT_ROWS]);
    c.advance(11 * 60_000);
    await service.book({ ags: BUSECK, appointmentTypeId: 'online', startMs: Date.parse('2026-06-08T06:00:00Z'), contact, idempotencyKey: 'fast' });
    await converse(client, [['Verbindlich buchen', [/gerade vergeben[\s\S]*frei/]]]);
    // Picking again goes straight to the summary: privacy and contact are kept.
    await converse(client, [['3', [/Bitte prüfen Sie die Angaben/]], ['ja', [/gebucht.*KDLZ-2026-00002/]]]);
  });

  it('an outdated card press is refused and the current question repeated', async () => {
    const { client } = await setup();
    await toSlots(client);
    await converse(client, [[PICK(1, 0, 'type'), [/nicht mehr aktuell/, (a) => expect(buttons(a).length).toBe(7)]]]);
  });

  it('"Andere Woche" asks for the week again; a week without slots offers the next free ones', async () => {
    const { client } = await setup();
    const card = await toSlots(client);
    await converse(client, [
      [buttons(card).at(-1)!.data, [/Wann passt es Ihnen/]],
      ['04.06.', [/Am Donnerstag, 04\.06\.2026 ist leider nichts mehr frei\. Diese Termine sind als Nächstes frei/]],
    ]);
  });

  it('bad week input is re-asked with examples; outside the window with the bookable range', async () => {
    const { client } = await setup({ options: { kommuneAgs: BUSECK, appointmentTypeId: 'online' } });
    await converse(client, [
      ['Termin', [/Wann passt es/]],
      ['irgendwas', [/nicht als Woche oder Tag erkannt/]],
      ['KW 52 2027', [/vom 03\.06\.2026 bis zum 31\.07\.2026/]],
    ]);
  });

  it('declining the privacy notice stores nothing and frees the slot', async () => {
    const { client, service } = await setup();
    const card = await toSlots(client);
    await converse(client, [[buttons(card)[0].data, [/Datenschutz/]], ['nein', [/nichts gespeichert/]]]);
    await expect(service.hold({ ags: BUSECK, appointmentTypeId: 'online', startMs: Date.parse('2026-06-08T06:00:00Z') })).resolves.toBeDefined();
  });
});

describe('BookingDialog: interruptions at every step', () => {
  const steps: [string, Row[], RegExp][] = [
    ['Kommune', [['Termin', [/Für welche Kommune/]]], /Für welche Kommune/],
    ['Terminart', [['Termin', [/Für welche Kommune/]], ['Buseck', [/Welche Art/]]], /Welche Art/],
    ['Woche', [['Termin', [/Für welche Kommune/]], ['Buseck', [/Welche Art/]], ['2', [/Wann passt/]]], /Wann passt/],
    ['Slot', [['Termin', [/Für welche Kommune/]], ['Buseck', [/Welche Art/]], ['2', [/Wann passt/]], ['nächste Woche', [/frei/]]], /frei/],
    ['Datenschutz', [['Termin', [/Für welche Kommune/]], ['Buseck', [/Welche Art/]], ['2', [/Wann passt/]], ['nächste Woche', [/frei/]], ['1', [/Datenschutz/]]], /Datenschutz/],
    ['Name', [['Termin', [/Für welche Kommune/]], ['Buseck', [/Welche Art/]], ['2', [/Wann passt/]], ['nächste Woche', [/frei/]], ['1', [/Datenschutz/]], ['ja', [/Ansprechperson/]]], /Ansprechperson/],
  ];
  const HELP: Record<string, RegExp> = {
    Kommune: /Amtlichen Gemeindeschlüssel/,
    Terminart: /Vor-Ort-Termine finden bei Ihnen/,
    Woche: /Feiertage werden nie angeboten/,
    Slot: /halte ihn dann einige Minuten/,
    Datenschutz: /Ohne Kontaktdaten/,
    Name: /wer den Termin in der Kommune betreut/,
  };

  it.each(steps)('%s: "hilfe" explains and repeats the question', async (name, rows, question) => {
    const { client } = await setup();
    await converse(client, rows);
    await converse(client, [['hilfe', [HELP[name], question]]]);
  });

  it.each(steps)('%s: "abbrechen" ends without booking and frees a held slot', async (_name, rows) => {
    const { client, service } = await setup();
    await converse(client, rows);
    await converse(client, [['abbrechen', [/abgebrochen\. Es wurde nichts gebucht/]]]);
    await expect(service.hold({ ags: BUSECK, appointmentTypeId: 'online', startMs: Date.parse('2026-06-08T06:00:00Z') })).resolves.toBeDefined();
  });

  it.each(steps.slice(1))('%s: "zurück" goes to the previous question', async (_name, rows) => {
    const { client } = await setup();
    await converse(client, rows);
    const previous = rows[rows.length - 2][1][0] as RegExp;
    await converse(client, [['zurück', [previous]]]);
  });

  it('"zurück" at the first question says so; "neu starten" starts over', async () => {
    const { client } = await setup();
    await converse(client, [
      ['Termin', [/Für welche Kommune/]],
      ['zurück', [/schon bei der ersten Frage/, /Für welche Kommune/]],
      ['Buseck', [/Welche Art/]],
      ['neu starten', [/von vorn/, /Termin für \*\*Buseck\*\*/]],
    ]);
  });

  it('at the summary: "zurück" changes the phone number, "hilfe" explains', async () => {
    const { client } = await setup();
    const card = await toSlots(client);
    await converse(client, [[buttons(card)[0].data, [/Datenschutz/]], ['ja', [/Ansprechperson/]], ...CONTACT_ROWS]);
    await converse(client, [
      ['hilfe', [/später unter „Meine Termine“/, /Bitte prüfen/]],
      ['zurück', [/Telefonnummer/]],
      ['0987 654321', [/0987 654321/]],
    ]);
  });
});

describe('MyAppointmentsDialog', () => {
  async function booked(channel: string, channelUserId?: string) {
    const s = await setup({ dialog: 'mine', channel });
    const { booking } = await s.service.book({ ags: BUSECK, appointmentTypeId: 'online', startMs: Date.parse('2026-06-08T06:00:00Z'), contact, idempotencyKey: 'k', channelUserId });
    return { ...s, booking };
  }

  it('web chat: reference + wrong e-mail and unknown reference get the same neutral answer', async () => {
    const a = await booked('webchat');
    const wrongMail = await converse(a.client, [
      ['Meine Termine', [/Buchungsnummer/]],
      ['KDLZ-2026-00001', [/E-Mail-Adresse/]],
      ['someone@else.example', [/keinen Termin gefunden/]],
    ]);
    const b = await booked('webchat');
    const unknownRef = await converse(b.client, [
      ['Meine Termine', [/Buchungsnummer/]],
      ['KDLZ-2026-00077', [/E-Mail-Adresse/]],
      [contact.email, [/keinen Termin gefunden/]],
    ]);
    expect(wrongMail.at(-1)!.text).toBe(unknownRef.at(-1)!.text);
  });

  it('web chat: reference + e-mail → reschedule, then cancel', async () => {
    const { client, service } = await booked('webchat');
    const replies = await converse(client, [
      ['Meine Termine', [/Buchungsnummer/]],
      ['kdlz 2026 1', [/E-Mail-Adresse/]],
      [contact.email.toUpperCase(), [/Ihr anstehender Termin/, /Was möchten Sie mit KDLZ-2026-00001 tun/]],
      ['Verschieben', [/Wann passt/]],
      ['übernächste Woche', [/vom 15\.06\. bis 19\.06\./]],
      ['1', [/Soll ich KDLZ-2026-00001 vom .+ auf Montag, 15\.06\.2026, 08:00–09:00 Uhr verlegen\?/]],
      ['ja', [/verschoben\*\* auf Montag, 15\.06\.2026, 08:00–09:00 Uhr/]],
    ]);
    expect((replies.at(-1)!.entities![0] as unknown as BookingEntity).start).toBe('2026-06-15T06:00:00.000Z');
    expect((await service.getByReference('KDLZ-2026-00001'))!.startMs).toBe(Date.parse('2026-06-15T06:00:00Z'));
    const { client: again } = await setup({ dialog: 'mine', service });
    const cancelled = await converse(again, [
      ['Meine Termine', [/Buchungsnummer/]],
      ['KDLZ-2026-00001', [/E-Mail/]],
      [contact.email, [/anstehender Termin/, /tun/]],
      ['Absagen', [/wirklich absagen/]],
      ['Ja, absagen', [/ist abgesagt/]],
    ]);
    expect((cancelled.at(-1)!.entities![0] as unknown as BookingEntity).status).toBe('cancelled');
    const ics = cancelled.at(-1)!.attachments!.find((x) => x.contentType === 'text/calendar')!;
    expect(Buffer.from(ics.contentUrl!.split(',')[1], 'base64').toString()).toContain('METHOD:CANCEL');
  });

  it('Teams: the own bookings without asking; someone else sees none', async () => {
    const { client } = await booked('msteams', 'user1');
    await converse(client, [['Meine Termine', [/Ihr anstehender Termin/, /Was möchten Sie/]], ['Nichts ändern', [/bleibt wie er ist/]]]);
    const other = await setup({ dialog: 'mine', channel: 'msteams' });
    await converse(other.client, [['Meine Termine', [/keine anstehenden Termine/]]]);
  });

  it('interruptions: "hilfe" at the reference, "zurück" from the e-mail, "abbrechen"', async () => {
    const { client } = await booked('webchat');
    await converse(client, [
      ['Meine Termine', [/Buchungsnummer/]],
      ['hilfe', [/Bestätigungs-E-Mail/, /Buchungsnummer/]],
      ['KDLZ-2026-00001', [/E-Mail/]],
      ['zurück', [/Buchungsnummer/]],
      ['abbrechen', [/nichts geändert/]],
    ]);
  });
});

describe('DeleteMyDataDialog', () => {
  it('Teams: explains, deletes on yes: contact data gone, appointment kept', async () => {
    const s = await setup({ dialog: 'delete', channel: 'msteams' });
    const { booking } = await s.service.book({ ags: BUSECK, appointmentTypeId: 'online', startMs: Date.parse('2026-06-08T06:00:00Z'), contact, idempotencyKey: 'k', channelUserId: 'user1' });
    await converse(s.client, [
      ['Meine Daten löschen', [/Kontaktdaten[\s\S]*in Ihrer Buchung[\s\S]*Jetzt löschen/]],
      ['Ja, löschen', [/Erledigt.*Kontaktdaten in einer Buchung entfernt/]],
    ]);
    const after = await s.service.getByReference(booking.reference!);
    expect(after!.contact).toBeNull();
    expect(after!.status).toBe('confirmed');
  });

  it('"nein" keeps everything', async () => {
    const s = await setup({ dialog: 'delete', channel: 'msteams' });
    const { booking } = await s.service.book({ ags: BUSECK, appointmentTypeId: 'online', startMs: Date.parse('2026-06-08T06:00:00Z'), contact, idempotencyKey: 'k', channelUserId: 'user1' });
    await converse(s.client, [['Meine Daten löschen', [/Jetzt löschen/]], ['nein', [/nichts gelöscht/]]]);
    expect((await s.service.getByReference(booking.reference!))!.contact).toEqual(contact);
  });
});
