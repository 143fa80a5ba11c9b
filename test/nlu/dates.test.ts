import { describe, expect, it } from 'vitest';
import { parseWhen } from '../../src/nlu';

/**
 * How clerks name a day in free text, written for this test from German usage (not from the
 * blind sets). Today: Wednesday 2026-11-18. An unknown or contradictory answer is asked again
 * (undefined), never read as a wrong day.
 */
const today = '2026-11-18';
const w = (text: string) => {
  const r = parseWhen(text, today);
  return r && 'nextFree' in r ? 'next' : r;
};

describe('dates: typing slips in weekdays, months and week words', () => {
  it.each([
    ['donnerstg', { from: '2026-11-19', to: '2026-11-19' }],
    ['Mitwoch nachmittag', { from: '2026-11-25', to: '2026-11-25', part: 'afternoon' }],
    ['nächte Woche', { from: '2026-11-23', to: '2026-11-27' }],
    ['Anfang Dezmber', { from: '2026-12-01', to: '2026-12-07' }],
  ])('%s', (text, expected) => expect(w(text)).toEqual(expected));
  it('a real word one letter from a weekday is no weekday', () => expect(w('Montage')).toBeUndefined());
});

describe('dates: two days offered, "bis", "nach dem"', () => {
  it.each([
    ['am 3. oder 4. Dezember', { from: '2026-12-03', to: '2026-12-04' }],
    ['am 24. oder 25.', { from: '2026-11-24', to: '2026-11-25' }],
    ['Di oder Mi', { from: '2026-11-24', to: '2026-11-25' }],
    ['nächste Woche Mo oder Di', { from: '2026-11-23', to: '2026-11-24' }],
    ['morgen oder übermorgen', { from: '2026-11-19', to: '2026-11-20' }],
    ['nach dem 10. Dezember', { from: '2026-12-11', to: '2026-12-17' }],
    ['bis Ende November', { from: '2026-11-18', to: '2026-11-30' }],
    ['spätestens am 27.11.', { from: '2026-11-18', to: '2026-11-27' }],
    // "bis 11 Uhr" is a time, not a last day.
    ['bis 11 Uhr am Freitag', { from: '2026-11-20', to: '2026-11-20', part: 'morning' }],
  ])('%s', (text, expected) => expect(w(text)).toEqual(expected));
});

describe('dates: the forms the issue names', () => {
  it.each([
    ['Übernächste Woche', { from: '2026-11-30', to: '2026-12-04' }],
    ['Mitte Dezember', { from: '2026-12-14', to: '2026-12-18' }],
    // The last five working days: 25. and 26.12. are holidays in Hessen, the 27th a Sunday.
    ['Ende Dezember', { from: '2026-12-24', to: '2026-12-31' }],
    ['am 3.12.', { from: '2026-12-03', to: '2026-12-03' }],
    ['3. Dezember', { from: '2026-12-03', to: '2026-12-03' }],
    ['KW 50', { from: '2026-12-07', to: '2026-12-11' }],
    ['nach Weihnachten', { from: '2026-12-28', to: '2026-12-31' }],
    ['zwischen den Jahren', { from: '2026-12-28', to: '2026-12-31' }],
    ['in zwei Wochen', { from: '2026-11-30', to: '2026-12-04' }],
    ['nächsten Dienstag oder Mittwoch', { from: '2026-11-24', to: '2026-11-25' }],
    ['morgen früh', { from: '2026-11-19', to: '2026-11-19', part: 'morning' }],
    ['heute Nachmittag', { from: '2026-11-18', to: '2026-11-18', part: 'afternoon' }],
    ['Dienstag, 24.11., vormittags', { from: '2026-11-24', to: '2026-11-24', part: 'morning' }],
    ['next Tuesday afternoon', { from: '2026-11-24', to: '2026-11-24', part: 'afternoon' }],
    ['in the week after next', { from: '2026-11-30', to: '2026-12-04' }],
  ])('%s', (text, expected) => expect(w(text)).toEqual(expected));
});

describe('dates: when not ("aber nicht", "außer", "geht nicht")', () => {
  it.each([
    ['nächste Woche, aber nicht Montag', { from: '2026-11-24', to: '2026-11-27' }],
    ['Montag geht nicht, Dienstag schon', { from: '2026-11-24', to: '2026-11-24' }],
    ['any day next week except Friday', { from: '2026-11-23', to: '2026-11-26' }],
    // "nicht vor" is a start, not a negation.
    ['nicht vor Dezember', { from: '2026-12-01', to: '2026-12-31' }],
  ])('%s', (text, expected) => expect(w(text)).toEqual(expected));
  it.each(['lieber nicht nächste Woche', 'nicht so bald'])('%s → ask again', (text) => expect(w(text)).toBeUndefined());
});

describe('dates: more spans clerks name', () => {
  it.each([
    ['vor dem 4. Dezember', { from: '2026-11-18', to: '2026-12-03' }],
    ['nächste KW', { from: '2026-11-23', to: '2026-11-27' }],
    ['am dritten Dezember', { from: '2026-12-03', to: '2026-12-03' }],
    ['Dienstag in 14 Tagen', { from: '2026-12-01', to: '2026-12-01' }],
    ['heute in 14 Tagen', { from: '2026-12-02', to: '2026-12-02' }],
    ['diese oder nächste Woche', { from: '2026-11-18', to: '2026-11-27' }],
    ['nächste oder übernächste Woche', { from: '2026-11-23', to: '2026-12-04' }],
    ['in den nächsten Tagen', { from: '2026-11-19', to: '2026-11-25' }],
    ['Ende der Woche', { from: '2026-11-19', to: '2026-11-20' }],
    // 1 January is a holiday, the 2nd and 3rd a weekend; the 30th and 31st too.
    ['Anfang nächsten Jahres', { from: '2027-01-04', to: '2027-01-29' }],
    ['the first week of December', { from: '2026-12-01', to: '2026-12-04' }],
    ['Donnerstag, 14 Uhr', { from: '2026-11-19', to: '2026-11-19', part: 'afternoon' }],
    ['im Laufe des Dezembers', { from: '2026-12-01', to: '2026-12-31' }],
    ['28/11', { from: '2026-11-28', to: '2026-11-28' }],
    ['bald', 'next'],
  ])('%s', (text, expected) => expect(w(text)).toEqual(expected));
  // Day and month or month and day: ask.
  it('11/12 → ask again', () => expect(w('11/12')).toBeUndefined());
  it('Anfang der Woche, once it has passed → ask again', () => expect(w('Anfang der Woche')).toBeUndefined());
});

describe('dates: weekdays inside a month or a holiday span, weekday runs, soon', () => {
  it.each([
    // Not the coming Tuesday in November: the Tuesdays of March.
    ['Dienstag im März', { from: '2027-03-02', to: '2027-03-30' }],
    ['Anfang Dezember, Dienstag oder Donnerstag', { from: '2026-12-01', to: '2026-12-03' }],
    // Easter Monday 2027 (29.03.) is a holiday; the Tuesday after Easter is the 30th.
    ['Dienstag nach Ostern', { from: '2027-03-30', to: '2027-03-30' }],
    ['Montag bis Mittwoch', { from: '2026-11-23', to: '2026-11-25' }],
    ['Mo/Di', { from: '2026-11-23', to: '2026-11-24' }],
    ['Donnerstagfrüh', { from: '2026-11-19', to: '2026-11-19', part: 'morning' }],
    ['im ersten Quartal', { from: '2027-01-04', to: '2027-03-31' }],
    ['im Frühjahr', { from: '2027-03-01', to: '2027-05-31' }],
    ['ab sofort', 'next'],
    // Soon, not in the morning.
    ['möglichst früh', 'next'],
  ])('%s', (text, expected) => expect(w(text)).toEqual(expected));
});

describe('dates: contradictions and days without appointments are asked again', () => {
  // The 20.11.2026 is a Friday.
  it.each(['Donnerstag, 20.11.', 'nächstes Wochenende', 'am Wochenende'])('%s → ask again', (text) => expect(w(text)).toBeUndefined());
  it('a weekday that fits its date is taken', () => expect(w('Freitag, 20.11.')).toEqual({ from: '2026-11-20', to: '2026-11-20' }));
});
