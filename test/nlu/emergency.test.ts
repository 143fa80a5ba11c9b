import { beforeAll, describe, expect, it } from 'vitest';
import { createEligibilityService } from '../../src/eligibility';
import { createNlu, type Nlu } from '../../src/nlu';

/**
 * Emergencies are checked first and must not be missed; preparation questions must not be
 * swallowed. Sentences written for this test (not from the blind sets, not from dialogs/nlu).
 */
let nlu: Nlu;
beforeAll(() => {
  nlu = createNlu({ eligibility: createEligibilityService() });
});

describe('an incident now, in any words, is an emergency', () => {
  it.each([
    'Bei uns im Rathaus geht nichts mehr, auf jedem Rechner steht, wir sollen zahlen',
    'Unsere Fachverfahren sind verschlüsselt!!',
    'Ich hab Mist gebaut und bei einer Phishing-Mail meine Zugangsdaten eingegeben',
    'Jemand ist in unser Netz eingedrungen',
    'Seit einer Stunde verschickt unser Postfach Spam an alle Bürger',
    'Gemeinde Buseck: Trojaner entdeckt, was jetzt?',
    'Unser Webauftritt wurde gehackt',
    'Mein Dienstkonto ist kompromittiert',
    'Erpresser haben unsere Bürgerdaten und wollen Geld',
    'we clicked on a bad link and now the server is encrypted',
    'Was tun? Wir wurden eben angegriffen',
    'HILFE ransomware',
  ])('%s', (text) => {
    expect(nlu.understand(text).intent).toBe('emergency');
    expect(nlu.isEmergency(text)).toBe(true);
  });
});

describe('preparation and general questions are questions, not emergencies', () => {
  it.each([
    'Was tun bei einem Hackerangriff?',
    'Wie schützen wir unsere Server vor Verschlüsselungstrojanern?',
    'Was sollte ein Mitarbeiter tun, falls er auf einen Phishing-Link geklickt hat?',
    'Wie erkennt man Ransomware?',
    'Was ist ein Trojaner?',
    'Welche Nummer hat die Notfall-Hotline des Hessen3C?',
    'Wie viele Kommunen wurden 2023 angegriffen?',
    'Muss ein Cyberangriff gemeldet werden?',
    'Wie bereiten wir uns auf einen Ransomware-Angriff vor?',
    'should we pay if criminals ever encrypt our data',
  ])('%s', (text) => {
    expect(nlu.isEmergency(text)).toBe(false);
    expect(nlu.understand(text).intent).not.toBe('emergency');
  });
});

describe('answers typed inside a dialog are never taken for an emergency', () => {
  it('no Kommune name, question-back label or short answer', () => {
    const eligibility = createEligibilityService();
    const texts = [
      ...eligibility.register.all().flatMap((k) => [k.shortName, k.name, `${k.shortName} – Gemeinde im Landkreis`]),
      'ja', 'nein', 'weiß nicht', '3', 'unbefristet', '15 %', 'nächste Woche', 'Dienstag 13:00', 'Erika Mustermann', 'IT-Leitung',
      'erika@gemeinde.example', '0641 12345', 'Verbindlich buchen', 'Andere Kommune', 'Stufe 2: Stresstest', 'IKZ-Förderung',
    ];
    expect(texts.filter((t) => nlu.isEmergency(t))).toEqual([]);
  });
});
