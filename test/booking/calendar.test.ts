import { describe, expect, it } from 'vitest';
import {
  advisorsFor,
  bookableWindow,
  closedReason,
  freeStartsOnDay,
  hessianHoliday,
  loadBookingConfig,
  slotProblem,
} from '../../src/booking/calendar';
import { testCalendar, utc } from './fixtures';

const cal = testCalendar();
const vorOrt = cal.appointmentTypes.find((t) => t.id === 'vor-ort')!;
const online = cal.appointmentTypes.find((t) => t.id === 'online')!;
const nord = cal.advisors.find((a) => a.id === 'nord')!;

describe('Hessian calendar', () => {
  it.each([
    ['2026-06-04', 'Fronleichnam'],
    ['2026-05-14', 'Christi Himmelfahrt'],
    ['2026-04-06', 'Ostermontag'],
    ['2026-12-25', '1. Weihnachtstag'],
  ])('%s is a holiday in Hessen (%s)', (day, name) => {
    expect(hessianHoliday(day)).toBe(name);
    expect(closedReason(day)).toContain('Feiertag');
  });

  it.each(['2026-06-03', '2026-06-05', '2026-11-18' /* Buß- und Bettag: not in Hessen */, '2026-12-24'])('%s is a working day', (day) => {
    expect(closedReason(day)).toBeNull();
  });

  it('weekends are closed', () => {
    expect(closedReason('2026-06-06')).toBe('Wochenende');
    expect(closedReason('2026-06-07')).toBe('Wochenende');
  });
});

describe('slots', () => {
  it('Fronleichnam has no slots, the day before has', () => {
    const now = Date.parse('2026-05-20T08:00:00Z');
    expect(freeStartsOnDay(cal, online, [nord], '2026-06-04', [], now)).toEqual([]);
    expect(freeStartsOnDay(cal, online, [nord], '2026-06-03', [], now).length).toBe(4);
  });

  it('the week after the spring DST change: 08:00 Berlin is 06:00 UTC, the week before 07:00 UTC', () => {
    const now = Date.parse('2026-03-16T08:00:00Z');
    const before = freeStartsOnDay(cal, online, [nord], '2026-03-27', [], now); // Friday, CET
    const after = freeStartsOnDay(cal, online, [nord], '2026-03-30', [], now); // Monday, CEST
    expect(utc(before[0].startMs)).toBe('2026-03-27T07:00:00.000Z');
    expect(utc(after[0].startMs)).toBe('2026-03-30T06:00:00.000Z');
    // Monday: 08-12 and 13-16 → 4 + 3 one-hour starts, all in local hours
    expect(after.map((c) => new Date(c.startMs).getUTCHours())).toEqual([6, 7, 8, 9, 11, 12, 13]);
  });

  it('the week after the autumn DST change: 08:00 Berlin is 07:00 UTC again', () => {
    const now = Date.parse('2026-10-12T08:00:00Z');
    expect(utc(freeStartsOnDay(cal, online, [nord], '2026-10-23', [], now)[0].startMs)).toBe('2026-10-23T06:00:00.000Z');
    expect(utc(freeStartsOnDay(cal, online, [nord], '2026-10-26', [], now)[0].startMs)).toBe('2026-10-26T07:00:00.000Z');
  });

  it('an on-site visit blocks its travel buffer around it', () => {
    const now = Date.parse('2026-06-01T06:00:00Z');
    const visit = { advisorId: 'nord', startMs: Date.parse('2026-06-08T07:00:00Z'), endMs: Date.parse('2026-06-08T09:00:00Z'), onSite: true }; // 09-11 local
    const starts = freeStartsOnDay(cal, online, [nord], '2026-06-08', [visit], now).map((c) => utc(c.startMs));
    // blocked 08:00–12:00 local; afternoon 13–16 free
    expect(starts).toEqual(['2026-06-08T11:00:00.000Z', '2026-06-08T12:00:00.000Z', '2026-06-08T13:00:00.000Z']);
  });

  it('the per-day limit closes the day', () => {
    const now = Date.parse('2026-06-01T06:00:00Z');
    const b = (h: number) => ({ advisorId: 'nord', startMs: Date.parse(`2026-06-08T${h}:00:00Z`), endMs: Date.parse(`2026-06-08T${h}:30:00Z`), onSite: false });
    expect(freeStartsOnDay(cal, online, [nord], '2026-06-08', [b(11), b(12), b(13)], now)).toEqual([]);
  });

  it('advisors are chosen by AGS prefix and type', () => {
    expect(advisorsFor(cal, 'vor-ort', '06531005').map((a) => a.id)).toEqual(['nord']);
    expect(advisorsFor(cal, 'vor-ort', '06411000')).toEqual([]);
    expect(advisorsFor(cal, 'online', '06411000').map((a) => a.id)).toEqual(['sued']);
  });
});

describe('slotProblem: why a requested start is refused', () => {
  const now = Date.parse('2026-06-01T06:00:00Z'); // Monday 08:00 Berlin
  it.each([
    ['2026-05-29T06:00:00Z', 'Vergangenheit'],
    ['2026-06-02T06:00:00Z', 'Frühestens ab 2026-06-03'], // lead time 2 days
    ['2026-08-03T06:00:00Z', 'Höchstens bis 2026-07-31'], // horizon 60 days
    ['2026-06-04T06:00:00Z', 'Feiertag in Hessen (Fronleichnam)'],
    ['2026-06-06T06:00:00Z', 'Wochenende'],
    ['2026-06-03T04:00:00Z', 'Außerhalb der Beratungszeiten'], // 06:00 local
    ['2026-06-03T06:30:00Z', 'Außerhalb der Beratungszeiten'], // off the hour grid
    ['2026-06-03T09:00:00Z', 'Außerhalb der Beratungszeiten'], // 11:00 + 2 h > 12:00
  ])('%s → %s', (iso, reason) => {
    expect(slotProblem(cal, vorOrt, nord, Date.parse(iso), now)).toContain(reason);
  });
  it('a start inside hours on a working day is fine', () => {
    expect(slotProblem(cal, vorOrt, nord, Date.parse('2026-06-03T06:00:00Z'), now)).toBeNull();
  });
  it('lead time and horizon as Berlin days', () => {
    expect(bookableWindow(cal, now)).toEqual({ first: '2026-06-03', last: '2026-07-31' });
    // 23:30 UTC on 31 May is already 1 June in Berlin
    expect(bookableWindow(cal, Date.parse('2026-05-31T23:30:00Z')).first).toBe('2026-06-03');
  });
});

describe('knowledge/booking.yaml as shipped', () => {
  it('parses, and its advisors are marked as example placeholders with undeliverable addresses', () => {
    const shipped = loadBookingConfig();
    for (const a of shipped.advisors) {
      expect(a.name).toContain('(Beispiel)');
      expect(a.email.endsWith('.invalid')).toBe(true);
    }
    expect(shipped.organizer.email.endsWith('.invalid')).toBe(true);
    expect(shipped.example).toBe(true);
  });

  it('offers only the two stages of the AKC module "Sichere Kommunalnetze Hessen", no invented types', () => {
    const shipped = loadBookingConfig();
    expect(shipped.appointmentTypes.map((t) => t.id)).toEqual(['kdlz-cs-stufe-1', 'kdlz-cs-stufe-2']);
    expect(shipped.appointmentTypes[0]).toMatchObject({ place: 'vor-ort', eligibility: 'kdlz' });
    expect(shipped.appointmentTypes[1].name).toMatch(/Stresstest.*erst nach Stufe 1/);
    expect(JSON.stringify(shipped)).not.toMatch(/Schulung|IKZ-Beratung|Online-Beratung|Terminservice|Zugangslink sendet/);
    expect(shipped.registration?.source.url).toBe('https://hessen3c.de/unsere-leistungen/aktionsprogramm-kommunale-cybersicherheit-akc');
  });
});
