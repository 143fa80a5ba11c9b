import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET } from '../channels/directline-harness';
import { startChannelServer } from '../helpers/channel-server';
import { startTestServer, type TestServer } from '../helpers/server';
import { type Channel, type Conversation, play, type Reply, shown, teamsChat, webChat } from '../helpers/transcript';

/**
 * Every example of issue #12 as a conversation with the real app, in Web Chat (Direct Line) and
 * in Teams (/api/messages). Each table reads [what the person types, what the bot answers]. The
 * wrong-result cases of the issue (20 % taken as 20 partners, "die im …" giving the Landkreis,
 * "die Stadt" not found, "Ja" as a name) failed on the code before the rewrite; here they must
 * come out right.
 */
let server: TestServer;
let channel: Awaited<ReturnType<typeof startChannelServer>>;
beforeAll(async () => {
  server = await startTestServer({ DIRECT_LINE_SECRET: SECRET });
  channel = await startChannelServer();
});
afterAll(async () => {
  await server?.close();
  await channel?.close();
});

const open = async (c: Channel): Promise<Conversation> => (c === 'webchat' ? webChat(server) : teamsChat(server, channel));
const entity = (r: Reply, type: string) => r.entities?.find((e) => e.type === type) as Record<string, any> | undefined;

describe.each<Channel>(['webchat', 'teams'])('%s', (ch) => {
  describe('messages in people\'s own words reach the right dialog', () => {
    it.each<[string, RegExp]>([
      ['Ich hätte gern einen Termin mit dem KDLZ', /Für welche Kommune möchten Sie einen Termin vereinbaren/],
      ['Wir möchten gern einen Termin für eine Beratung', /Für welche Kommune möchten Sie einen Termin vereinbaren/],
      ['Kann Gießen den Stresstest machen?', /„Gießen“ gibt es mehrmals in Hessen/],
      ['Darf Biebertal die KDLZ Beratung nutzen?', /Ergebnis für Biebertal/],
      ['Kann Buseck die Vor-Ort-Analyse in Anspruch nehmen?', /Ergebnis für Buseck/],
      ['Wir sind die Gemeinde Lautertal', /„Lautertal“ gibt es mehrmals in Hessen/],
      ['Ich will mit jemandem vom KDLZ telefonieren', /Team des KDLZ CS/],
      ['Hilfe, wir wurden gehackt und alle Dateien sind verschlüsselt!', /Notfall – das ist jetzt zu tun/],
    ])('%s', async (text, expected) => {
      await play(await open(ch), [[text, [expected]]]);
    });
  });

  describe('eligibility answers are read right or asked again, never guessed', () => {
    it('"ungefähr 20 Prozent" is no number of partners; "wir sind zu dritt" is three', async () => {
      await play(await open(ch), [
        ['Ist Limburg förderfähig?', [/Wie viele Kommunen arbeiten zusammen/]],
        ['ungefähr 20 Prozent', [/andere Frage[\s\S]*Zahl der beteiligten Kommunen/]],
        ['wir sind zu dritt', [/alle Partner hessische Kommunen/]],
        ['ja', [/Auf wie viele Jahre/]],
        ['auf Dauer', [/Wie viel Prozent/]],
        ['5 Jahre', [/andere Frage/]],
        ['ungefähr 20 Prozent', [/Ergebnis für Limburg/]],
      ]);
    });

    it('the result states 3 partners and 20 %', async () => {
      const rows = await play(await open(ch), [
        ['Ist Limburg förderfähig?', [/Wie viele Kommunen/]],
        ['wir sind zu dritt', [/hessische/]],
        ['ja', [/Jahre/]],
        ['unbefristet', [/Prozent/]],
        ['ungefähr 20 Prozent', [/Ergebnis für Limburg a\. d\. Lahn: Ja/]],
      ]);
      const card = shown(rows[4][0]);
      expect(card).toContain('3 Kommunen arbeiten zusammen');
      expect(card).toContain('20 %');
    });

    it('"which Lautertal?" – "die im Vogelsberg" is the Gemeinde there, never the Landkreis', async () => {
      const rows = await play(await open(ch), [
        ['Kann Lautertal das KDLZ nutzen?', [/„Lautertal“ gibt es mehrmals/]],
        ['die im Vogelsberg', [/Ergebnis für Lautertal \(Vogelsberg\)/]],
      ]);
      expect(entity(rows[1][0], 'eligibility')?.municipality).toMatchObject({ ags: '06535012' });
    });

    it('a district name alone picks the Gemeinde in it', async () => {
      const rows = await play(await open(ch), [
        ['Kann Lautertal das KDLZ nutzen?', [/gibt es mehrmals/]],
        ['Bergstraße', [/Ergebnis für Lautertal \(Odenwald\)/]],
      ]);
      expect(entity(rows[1][0], 'eligibility')?.municipality?.ags).not.toMatch(/^\d{5}$/);
    });

    it('"Stadt oder Landkreis Gießen?" – "die Stadt" is the Stadt', async () => {
      const rows = await play(await open(ch), [
        ['Kann Gießen das KDLZ nutzen?', [/„Gießen“ gibt es mehrmals/]],
        ['die Stadt', [/Ergebnis für Gießen/]],
      ]);
      expect(entity(rows[1][0], 'eligibility')?.municipality?.ags).toBe('06531005');
    });

    it('another Kommune\'s name is no pick among the offered ones', async () => {
      await play(await open(ch), [
        ['Kann Gießen das KDLZ nutzen?', [/gibt es mehrmals/]],
        ['Buseck', [/Bitte wählen Sie, welches „Gießen“/]],
        ['Andere Kommune', [/Für welche Kommune/]],
        ['Buseck', [/Ergebnis für Buseck/]],
      ]);
    });
  });

  describe('booking in words', () => {
    it('a full booking typing only words, no button; "Ja" is no name; a question on the way is answered', async () => {
      const c = await open(ch);
      const rows = await play(c, [
        ['Ich hätte gern einen Termin mit dem KDLZ', [/Für welche Kommune/]],
        ['Buseck', [/Welche Art von Termin/]],
        ['die Bewertung vor Ort bitte', [/Wann passt es Ihnen/]],
        ['Was kostet die Vor-Ort-Analyse eigentlich?', [/Quelle|keine gesicherte|Meinen Sie|Ich suche freie Termine/, /Wann passt es Ihnen/]],
        ['in zwei Wochen', [/frei/]],
      ]);
      const slots = rows[4][0];
      const first = (slots.attachments![0].content as { actions: { title: string }[] }).actions[0].title;
      // "1. Mi 09.12. · 08:00–09:00 Uhr" → "Mi 09.12. 08:00": the day and time as a person would type them.
      const [, day, date, time] = /^\d+\. (\w+) (\d\d\.\d\d\.) · (\d\d:\d\d)/.exec(first)!;
      const done = await play(c, [
        [`den am ${day} ${date} um ${time}`, [/Datenschutz/]],
        ['ja, einverstanden', [/Wie heißt die Ansprechperson/]],
        ['Ja', [/Vor- und Nachnamen/]],
        ['Das bin ich selbst, Erika Mustermann', [/Funktion/]],
        ['IT-Leitung', [/E-Mail/]],
        ['am besten an erika.mustermann@buseck.example, danke', [/Telefonnummer/]],
        ['erreichbar unter 06408 12345', [/Bitte prüfen Sie die Angaben/]],
        ['ja', [/Ihr Termin ist gebucht/]],
      ]);
      const booked = entity(done[7][0], 'booking')!;
      expect(booked).toMatchObject({ status: 'confirmed', municipality: { ags: '06531003' } });
      expect(shown(done[6][0])).toContain('Erika Mustermann');
      expect(new Date(booked.start).toISOString().slice(11, 16)).toBeDefined();

      // "Meine Termine": Web Chat asks reference and e-mail once per conversation; Teams knows the user.
      const reference = booked.reference as string;
      if (ch === 'webchat') {
        await play(c, [
          ['Meine Termine', [/Buchungsnummer/]],
          [reference, [/E-Mail-Adresse/]],
          ['erika.mustermann@buseck.example', [/Ihr anstehender Termin/, /Was möchten Sie/]],
          ['nichts ändern', [/bleibt wie er ist/]],
        ]);
      }
      await play(c, [
        ['meine Termine', [/Ihr anstehender Termin/, /Was möchten Sie/]],
        ['verschieben', [/Wann passt es Ihnen/]],
        ['in drei Wochen', [/frei/]],
        ['1', [/Soll ich .+ vom .+ auf .+ verlegen\?/]],
        ['nein', [/bleibt wie er ist/]],
        ['meine Termine', [/Ihr anstehender Termin/, /Was möchten Sie/]],
        ['absagen', [/wirklich absagen/]],
        ['ja', [/ist abgesagt/]],
      ]);
      if (ch === 'webchat') await play(c, [['meine Termine', [/ist abgesagt/]]]);
    });

    it('"Dienstag nachmittag" offers afternoon slots only; "Mitte Januar" and "nach Neujahr" are understood', async () => {
      const c = await open(ch);
      const rows = await play(c, [
        ['Termin vereinbaren', [/Für welche Kommune/]],
        ['Buseck', [/Welche Art von Termin/]],
        ['2', [/Wann passt es Ihnen/]],
        ['Dienstag nachmittag', [/nachmittags frei|nichts mehr frei/]],
      ]);
      const titles = (rows[3][0].attachments![0].content as { actions: { title: string }[] }).actions.map((a) => a.title).filter((t) => /^\d+\./.test(t));
      if (/nachmittags frei/.test(rows[3][0].attachments![0].content ? shown(rows[3][0]) : '')) {
        for (const t of titles) expect(Number(/· (\d\d):/.exec(t)![1]), t).toBeGreaterThanOrEqual(12);
      }
      await play(c, [
        ['andere Woche', [/Wann passt es Ihnen/]],
        ['Mitte Januar', [/frei|Termine gibt es vom/]],
        ['andere Woche', [/Wann passt es Ihnen/]],
        ['nach Neujahr', [/frei|Termine gibt es vom/]],
        ['abbrechen', [/abgebrochen/]],
      ]);
    });

    it('an emergency in the middle of a dialog gets first aid, then the open question again', async () => {
      await play(await open(ch), [
        ['Termin vereinbaren', [/Für welche Kommune/]],
        ['Hilfe, bei uns sind gerade alle Server verschlüsselt worden!', [/Notfall – das ist jetzt zu tun/, /Für welche Kommune/]],
        ['zurück', [/ersten Frage/]],
        ['Meine Termine', ch === 'webchat' ? [/Buchungsnummer/] : [/keine anstehenden Termine/]],
        ['hilfe', ch === 'webchat' ? [/Buchungsnummer steht in der Bestätigung/] : [/So kann ich helfen/]],
      ]);
    });
  });
});
