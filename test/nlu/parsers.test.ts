import { describe, expect, it } from 'vitest';
import {
  findEmail,
  parseWhen,
  readChoice,
  readKommuneChoice,
  readPartners,
  readPercent,
  readPersonName,
  readPhone,
  readStage,
  readYears,
  readYesNo,
  readYesNoUnknown,
  type Read,
} from '../../src/nlu';
import { createEligibilityService } from '../../src/eligibility';
import { kommuneCandidates } from '../../src/nlu/evaluation';

/**
 * Boundary tables for the typed answer readers, with answers written for these tests (the blind
 * sets measure the readers separately: npm run eval:nlu). ASK = the prompt must ask again.
 */
const ASK = 'ASK';
const out = <T>(r: Read<T>): T | 'unknown' | typeof ASK => (r.kind === 'value' ? r.value : r.kind === 'unknown' ? 'unknown' : ASK);

describe('partners: a whole number of Kommunen, never a percentage, a duration or an amount', () => {
  const count = (t: string) => (/Lollar|Buseck|Biebertal|Pohlheim/.test(t) ? t.split(/,| und /).filter((p) => /Lollar|Buseck|Biebertal|Pohlheim/.test(p)).length : 0);
  it.each([
    ['wir sind zu dritt', 3],
    ['zu viert', 4],
    ['vier Kommunen', 4],
    ['fünf', 5],
    ['3', 3],
    ['insgesamt 6 Gemeinden', 6],
    ['wir plus zwei weitere Gemeinden', 3],
    ['Pohlheim, Lollar und wir', 3],
    ['wir und die Nachbargemeinde', 2],
    ['ungefähr 20 Prozent', ASK],
    ['20 %', ASK],
    ['5 Jahre', ASK],
    ['ca. 40.000 Euro', ASK],
    ['3 oder 4', ASK],
    ['nur wir', ASK],
    ['1', ASK],
    ['ja', ASK],
    ['reicht das auch mit dem Kreis?', ASK],
    ['keine Ahnung', 'unknown'],
    // An estimate is an answer; "mit" names the others, so the asking Kommune counts too.
    ['weiß nicht genau, vermutlich 4', 4],
    ['mit Lollar und Buseck', 3],
    ['mit zwei Nachbarn', 3],
    ['mit zwei Nachbarn, also insgesamt 3', 3],
  ])('%s → %s', (text, expected) => {
    expect(out(readPartners(text, count))).toBe(expected);
  });
});

describe('years: a duration or unbefristet', () => {
  it.each([
    ['10 Jahre', 10],
    ['zehn', 10],
    ['auf Dauer angelegt', 'unbefristet'],
    ['auf unbestimmte Zeit', 'unbefristet'],
    ['erst mal befristet auf 4 Jahre', 4],
    ['24 Monate', 2],
    ['ein halbes Jahr', 0.5],
    ['zwei Jahrzehnte', 20],
    ['15 %', ASK],
    ['4 Kommunen', ASK],
    ['ab März', ASK],
    ['noch nicht festgelegt', 'unknown'],
    ['weiß noch nicht, wahrscheinlich 6 Jahre', 6],
  ])('%s → %s', (text, expected) => {
    expect(out(readYears(text))).toBe(expected);
  });
});

describe('percent: 0–100, decimals allowed, never an amount or a duration', () => {
  it.each([
    ['12 %', 12],
    ['12,5 Prozent', 12.5],
    ['etwa achtzehn Prozent', 18],
    ['ein Viertel', 25],
    ['16', 16],
    ['mehr als 15 %', 15],
    ['120 %', ASK],
    ['80.000 €', ASK],
    ['80.000 Euro', ASK],
    ['3 Jahre', ASK],
    ['zwei Partner', ASK],
    ['nein', ASK],
    ['schwer zu sagen', 'unknown'],
    ['weiß ich nicht genau, grob 12 Prozent', 12],
  ])('%s → %s', (text, expected) => {
    expect(out(readPercent(text))).toBe(expected);
  });
});

describe('yes / no (/ unknown)', () => {
  it.each([
    ['ja klar', true],
    ['Jawoll', true],
    ['sehr gerne', true],
    ['okay, machen wir', true],
    ['Nein danke', false],
    ['auf keinen Fall', false],
    ['nicht alle, einer ist aus Bayern', false],
    ['lieber nicht', false],
    ['2', undefined],
    ['was heißt das?', undefined],
    ['vielleicht', undefined],
    ['weiß nicht', undefined],
  ])('%s → %s', (text, expected) => {
    expect(readYesNo(text)).toBe(expected);
  });
  it('knows "weiß nicht" as unknown where unknown is an answer', () => {
    expect(out(readYesNoUnknown('da bin ich nicht sicher'))).toBe('unknown');
    expect(out(readYesNoUnknown('Blumenkohl'))).toBe(ASK);
  });
});

describe('a person\'s name needs first and last name', () => {
  it.each([
    ['Anna Weber', 'Anna Weber'],
    ['Dr. Anna Weber', 'Anna Weber'],
    ['Frau Anna-Lena Schmidt-Becker', 'Anna-Lena Schmidt-Becker'],
    ['Ursula von der Leyen', 'Ursula von der Leyen'],
    ['Sachbearbeiterin Julia Hahn', 'Julia Hahn'],
    ['Das übernimmt Klaus Weber aus dem Hauptamt', 'Klaus Weber'],
    ['Weber, Anna', 'Anna Weber'],
    ['sabine kraus', 'sabine kraus'],
    ['John Smith from IT', 'John Smith'],
    ['Mein Name ist Weber, Anna', 'Anna Weber'],
    ['Müller, Dr. Hans', 'Hans Müller'],
    ['Herr Dipl.-Ing. Thomas Klein', 'Thomas Klein'],
    ['sabine vogel aus dem bauamt', 'sabine vogel'],
    ['Sabine Vogel aus der Stadtverwaltung Lollar', 'Sabine Vogel'],
    ['gemeinde buseck', undefined],
    ['Ja', undefined],
    ['Ja Ja', undefined],
    ['Nein', undefined],
    ['Weber', undefined],
    ['Herr Weber', undefined],
    ['Stadt Gießen', undefined],
    ['keine Ahnung', undefined],
    ['42', undefined],
  ])('%s → %s', (text, expected) => {
    expect(readPersonName(text)).toBe(expected);
  });
});

describe('e-mail and telephone taken out of a sentence', () => {
  it.each([
    ['an hauptamt@gemeinde-beispiel.de bitte', 'hauptamt@gemeinde-beispiel.de'],
    ['Anna.Weber@Stadt.example.', 'Anna.Weber@Stadt.example'],
    ['anna@beispiel', undefined],
    ['anna.beispiel.de', undefined],
    ['a@b@c.de', undefined],
  ])('email %s → %s', (text, expected) => {
    expect(findEmail(text)).toBe(expected);
  });
  it.each([
    ['06441 / 40 70', '064414070'],
    ['Tel.: 0641-123 45', '064112345'],
    ['+49 (0) 6441 4070', '+4964414070'],
    ['0049 641 12345', '+4964112345'],
    ['4070', undefined],
    ['rufen Sie die Zentrale an', undefined],
  ])('phone %s → %s', (text, expected) => {
    expect(readPhone(text)).toBe(expected);
  });
});

describe('when: German relative dates, weeks, holidays and parts of the day (today: Wednesday 2026-11-18)', () => {
  const today = '2026-11-18';
  it.each([
    ['nächste Woche', { from: '2026-11-23', to: '2026-11-27' }],
    ['in zwei Wochen', { from: '2026-11-30', to: '2026-12-04' }],
    ['in 3 Wochen vormittags', { from: '2026-12-07', to: '2026-12-11', part: 'morning' }],
    ['Dienstag nachmittag', { from: '2026-11-24', to: '2026-11-24', part: 'afternoon' }],
    ['Freitag um 10 Uhr', { from: '2026-11-20', to: '2026-11-20', part: 'morning' }],
    ['Montag oder Dienstag', { from: '2026-11-23', to: '2026-11-24' }],
    ['Mitte Januar', { from: '2027-01-11', to: '2027-01-15' }],
    ['Anfang Dezember', { from: '2026-12-01', to: '2026-12-07' }],
    ['Ende des Monats', { from: '2026-11-24', to: '2026-11-30' }],
    ['nach Neujahr', { from: '2027-01-04', to: '2027-01-08' }],
    ['vor Weihnachten', { from: '2026-12-17', to: '2026-12-23' }],
    ['in der Woche nach Ostern', { from: '2027-03-30', to: '2027-04-02' }],
    ['zwischen dem 7. und 11. Dezember', { from: '2026-12-07', to: '2026-12-11' }],
    ['erste Dezemberwoche', { from: '2026-12-01', to: '2026-12-04' }],
    ['KW 50 oder 51', { from: '2026-12-07', to: '2026-12-18' }],
    ['KW 3', { from: '2027-01-18', to: '2027-01-22' }],
    ['am 2.12.', { from: '2026-12-02', to: '2026-12-02' }],
    ['3. Februar', { from: '2027-02-03', to: '2027-02-03' }],
    ['so bald wie möglich', 'next'],
    ['nächster freier Termin', 'next'],
  ])('%s', (text, expected) => {
    const w = parseWhen(text, today);
    expect(w && 'nextFree' in w ? 'next' : w).toEqual(expected);
  });
  it.each(['nachmittags', 'keine Ahnung', 'Anna Weber', '4 Kommunen', 'KW 54', 'am 31. November', 'gestern', 'letzte Woche', 'frühestens wenn der Haushalt steht'])('%s → ask again', (text) => {
    expect(parseWhen(text, today)).toBeUndefined();
  });
});

describe('choices: number, words, or day and time of a slot', () => {
  const slots = [
    { label: 'Mo 23.11. 09:00', day: '2026-11-23', time: '09:00' },
    { label: 'Mo 23.11. 14:30', day: '2026-11-23', time: '14:30' },
    { label: 'Mi 25.11. 11:00', day: '2026-11-25', time: '11:00' },
  ];
  it.each([
    ['2', 1],
    ['Nr. 3', 2],
    ['den letzten', 2],
    ['14:30', 1],
    ['Montag nachmittag', 1],
    ['Montag früh', 0],
    ['Mittwoch', 2],
    ['der am 25.', 2],
    ['25.11.', 2],
    ['11 Uhr', 2],
    ['Montag', undefined],
    ['7', undefined],
    ['24.11.', undefined],
    ['ja', undefined],
    ['keiner passt, gibt es was später?', 'other'],
  ])('slot %s → %s', (text, expected) => {
    expect(readChoice(text, slots, { allowOther: true })).toBe(expected);
  });
  const types = [
    { label: 'Vor-Ort-Analyse der kommunalen IT' },
    { label: 'Schulung der Mitarbeitenden (Informationssicherheit)' },
    { label: 'Online-Beratung Cybersicherheit' },
    { label: 'Beratung zur interkommunalen Zusammenarbeit (IKZ)' },
  ];
  it.each([
    ['die Online-Beratung', 2],
    ['Schulung bitte', 1],
    ['IKZ', 3],
    ['Analyse', 0],
    ['die vierte', 3],
    ['Beratung', undefined],
    ['alles', undefined],
    ['5', undefined],
  ])('type %s → %s', (text, expected) => {
    expect(readChoice(text, types)).toBe(expected);
  });
});

describe('which Kommune: only the offered ones, by number, kind or place', () => {
  const eligibility = createEligibilityService();
  const giessen = kommuneCandidates(eligibility, 'Gießen');
  const lautertal = kommuneCandidates(eligibility, 'Lautertal');
  const pick = (c: typeof giessen, text: string) => {
    const i = readKommuneChoice(text, c.list);
    return i === undefined ? undefined : c.keys[i];
  };
  it.each([
    ['die Stadt', 'stadt'],
    ['der Landkreis', 'landkreis'],
    ['LK', 'landkreis'],
    ['Kreis Gießen', 'landkreis'],
    ['2', 'landkreis'],
    ['Lollar', undefined],
    ['Fulda', undefined],
  ])('Gießen: %s → %s', (text, expected) => {
    expect(pick(giessen, text)).toBe(expected);
  });
  it.each([
    ['die im Landkreis Bergstraße', 'odenwald'],
    ['Vogelsbergkreis', 'vogelsberg'],
    ['das im Odenwald', 'odenwald'],
    ['im Vogelsberg', 'vogelsberg'],
    ['die Gemeinde', undefined],
    ['der Landkreis', undefined],
    ['Gießen', undefined],
  ])('Lautertal: %s → %s', (text, expected) => {
    expect(pick(lautertal, text)).toBe(expected);
  });
});

describe('stage', () => {
  it.each([
    ['Stufe 2', 2],
    ['den Stresstest', 2],
    ['Vor-Ort-Bewertung', 1],
    ['1', 1],
    ['beides', ASK],
  ])('%s → %s', (text, expected) => {
    expect(out(readStage(text))).toBe(expected);
  });
});
