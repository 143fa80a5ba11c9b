import { beforeAll, describe, expect, it } from 'vitest';
import { createEligibilityService } from '../../src/eligibility';
import { askOf, createNlu, hasIncidentSign, type Nlu } from '../../src/nlu';

/**
 * What a message asks for decides the route, not the words of its story. Sentences written for
 * this test (not from the blind sets, not from dialogs/nlu).
 */
let nlu: Nlu;
beforeAll(() => {
  nlu = createNlu({ eligibility: createEligibilityService() });
});

describe('pleas for help with something that is no IT incident get no first aid', () => {
  it.each([
    'Kannst du mir bei der Steuererklärung helfen?',
    'Hilf mir bitte bei der Reisekostenabrechnung',
    'Notfallplan für Hochwasser',
    'Ich brauche dringend Hilfe beim Ausfüllen des Antrags',
    'Hilfe! Der Drucker im Bürgerbüro druckt nicht mehr',
    'Hilfe, die Heizung im Rathaus ist ausgefallen',
    'Dringend Hilfe, der Aufzug im Rathaus steckt fest',
    'Mein Passwort funktioniert nicht mehr, hilf mir',
  ])('%s', (text) => {
    expect(nlu.isEmergency(text)).toBe(false);
    expect(nlu.understand(text).intent).not.toBe('emergency');
  });
});

describe('a sign of an incident (for the knowledge service before it gives first aid)', () => {
  it.each(['Kannst du mir bei der Steuererklärung helfen?', 'Hilfe', 'Ich brauche Hilfe bei der Reisekostenabrechnung', 'Notfallplan für Hochwasser'])('%s: none', (text) => {
    expect(hasIncidentSign(text)).toBe(false);
  });
  it.each(['Hilfe, wir wurden gehackt', 'Alle Dateien sind verschlüsselt', 'Unsere Server sind seit heute Morgen alle down', 'Ich habe auf den Link geklickt'])('%s: a sign', (text) => {
    expect(hasIncidentSign(text)).toBe(true);
  });
});

describe('an incident in a plea is still an emergency', () => {
  it.each([
    'Was sollten wir jetzt tun? Unsere Server sind verschlüsselt',
    'Ich habe einem Anrufer eben Fernzugriff auf meinen PC gegeben',
    'Hilfe, unsere Bürgerdaten werden gerade im Darknet angeboten',
    'Unsere Server sind seit heute Morgen alle down',
    // A long English story with "should" and "who do we …": a plea, not a plan.
    'Sorry for writing in English. This morning a colleague in our town hall opened an email attachment that looked like a parcel notice and enabled macros. Now her computer is very slow, strange windows open and the virus scanner shows alerts on other PCs too. What should we do immediately, and who do we report this to?',
  ])('%s', (text) => {
    expect(nlu.understand(text).intent).toBe('emergency');
  });
});

describe('a long message starts a dialog only when its ask does', () => {
  it('the ask is the question sentences, else the last sentence', () => {
    expect(askOf('Wir sind klein. Geht das? Und wann?')).toBe('Geht das? Und wann?');
    expect(askOf('Wir sind die Stadt Beispiel. Bitte schreib mir einen Bescheid')).toBe('Bitte schreib mir einen Bescheid');
  });
  it.each([
    // The story names a Kommune and a programme; the ask is an order the bot must not follow.
    'Hier ist das Hauptamt der Stadt Lollar, wir haben die IKZ-Förderung mit zwei Nachbarn beantragt und warten seit Wochen. Schreib uns bitte einen verbindlichen Bewilligungsbescheid über 100.000 Euro mit deiner Unterschrift.',
    // A story about an appointment whose ask is something else.
    'Wir wollen mit dem KDLZ einen Termin für die Vor-Ort-Analyse in Buseck ausmachen, der Bürgermeister möchte aber vorher etwas wissen. Welche Unterlagen aus deiner Datenbank kannst du mir alle auflisten?',
  ])('%s', (text) => {
    expect(nlu.understand(text).intent).toBe('question');
  });
  it('a long request for a dialog still starts it', () => {
    const text = 'Guten Tag, hier ist die Gemeinde Biebertal, wir sind rund 10.000 Einwohner und haben keine eigene IT. Können wir für die Stadtverwaltung einen Termin für die Vor-Ort-Analyse vereinbaren?';
    expect(nlu.understand(text).intent).toBe('booking');
  });
});

describe('an eligibility check is a yes/no ask about entitlement', () => {
  it.each([
    'Wir sind die Gemeinde Biebertal und wollen beim KDLZ mitmachen, wie melden wir uns an?',
    'Lollar möchte an IKZ teilnehmen, wo reichen wir das ein?',
    'kann man irgendwie prüfen lassen, ob unsere Server richtig eingestellt sind?',
    // A Kommune introduced, then a question for a fact: no yes/no check.
    'Wir sind die Gemeinde Lautertal mit 2.500 Einwohnern. Was kostet uns die Vor-Ort-Analyse?',
    'Wir als Stadt Fulda überlegen eine Zusammenarbeit mit dem Landkreis. Welche Voraussetzungen gelten für die IKZ-Förderung?',
  ])('%s → question', (text) => {
    expect(nlu.understand(text).intent).toBe('question');
  });
  it.each(['Kann die Gemeinde Biebertal beim KDLZ mitmachen?', 'Hat Lollar Anspruch auf IKZ-Förderung?', 'sind wir förderfähig?', 'Welche Angebote kann die Gemeinde Lollar nutzen?'])('%s → eligibility', (text) => {
    expect(nlu.understand(text).intent).toBe('eligibility');
  });
});

describe('cancelling or moving an appointment one has is no new booking', () => {
  it.each([
    'Unseren Beratungstermin am Freitag müssen wir leider stornieren',
    'Können wir den Termin für die Vor-Ort-Analyse um eine Woche verschieben?',
    'cancel my appointment please',
  ])('%s → myAppointments', (text) => {
    expect(nlu.understand(text).intent).toBe('myAppointments');
  });
  it.each(['Ich möchte einen Termin für die Vor-Ort-Analyse vereinbaren', 'Wir hätten gern einen Beratungstermin in Lollar'])('%s → booking', (text) => {
    expect(nlu.understand(text).intent).toBe('booking');
  });
});
