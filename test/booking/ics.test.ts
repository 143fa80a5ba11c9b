import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { eventIcs } from '../../src/booking/delivery';
import { buildIcs } from '../../src/booking/ics';
import { bookingIcs } from '../../src/booking/invite';
import type { BookingEvent } from '../../src/booking/types';
import { clock, contact, makeService } from './fixtures';

const event = {
  uid: 'b1@kdlz-bot',
  sequence: 3,
  startMs: Date.parse('2026-03-30T06:00:00Z'), // Monday after the spring change: 08:00 CEST
  endMs: Date.parse('2026-03-30T07:00:00Z'),
  summary: 'KDLZ CS: Online-Beratung, Buseck; Teil 1',
  description: 'Buchungsnummer: KDLZ-2026-00001\nÄndern oder absagen im Chat unter „Meine Termine“ – bitte mit der Bestätigungs-E-Mail bereithalten.',
  location: 'Vor Ort bei: Buseck',
  organizer: { name: 'KDLZ CS Terminservice (Beispiel)', email: 'termine@example.invalid' },
  attendees: [{ name: 'Erika Muster', email: 'erika@gemeinde.example' }],
  status: 'CONFIRMED' as const,
  stampMs: Date.parse('2026-03-01T10:00:00Z'),
};

describe('iCalendar', () => {
  const ics = buildIcs([event], 'REQUEST');
  it('uses CRLF and folds lines at 75 octets (UTF-8), continuation lines start with a space', () => {
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('DESCRIPTION:Buchungsnummer: KDLZ-2026-00001\\nÄndern oder absagen im Chat unter „Meine Termine“ – bitte mit der Bestätigungs-E-Mail bereithalten.');
  });
  it('escapes commas and semicolons, keeps local Berlin time with TZID and a VTIMEZONE', () => {
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('SUMMARY:KDLZ CS: Online-Beratung\\, Buseck\\; Teil 1');
    expect(unfolded).toContain('DTSTART;TZID=Europe/Berlin:20260330T080000');
    expect(unfolded).toContain('BEGIN:VTIMEZONE');
    expect(unfolded).toContain('SEQUENCE:3');
    expect(unfolded).toContain('DTSTAMP:20260301T100000Z');
    expect(unfolded).toContain('ATTENDEE;CN="Erika Muster";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:erika@gemeinde.example');
  });
  it('a cancellation carries METHOD:CANCEL and STATUS:CANCELLED', () => {
    const c = buildIcs([{ ...event, status: 'CANCELLED' }], 'CANCEL');
    expect(c).toContain('METHOD:CANCEL');
    expect(c).toContain('STATUS:CANCELLED');
  });
});

/**
 * Every kind of invitation the module writes, read back with a maintained iCalendar parser
 * (ical.js) instead of compared with the writer's own strings: the times must round-trip through
 * the VTIMEZONE we ship (its DST rules), in the weeks of both clock changes of 2026.
 */
describe('every generated invitation parses with ical.js and round-trips', () => {
  interface Expected {
    method: string;
    uid: string;
    startMs: number;
    endMs: number;
    organizer: string;
    status: 'CONFIRMED' | 'CANCELLED';
    sequence: number;
    summary?: string;
  }

  function expectRoundTrip(text: string, want: Expected): void {
    const cal = new ICAL.Component(ICAL.parse(text));
    expect(cal.getFirstPropertyValue('method')).toBe(want.method);
    const tz = cal.getFirstSubcomponent('vtimezone')!;
    expect(tz.getFirstPropertyValue('tzid')).toBe('Europe/Berlin');
    const zone = new ICAL.Timezone(tz);
    const vevent = cal.getAllSubcomponents('vevent').find((v) => v.getFirstPropertyValue('uid') === want.uid)!;
    expect(vevent, want.uid).toBeDefined();
    for (const [name, ms] of [['dtstart', want.startMs], ['dtend', want.endMs]] as const) {
      const prop = vevent.getFirstProperty(name)!;
      expect(prop.getParameter('tzid')).toBe('Europe/Berlin');
      const t = prop.getFirstValue() as ICAL.Time;
      // Interpret the local wall-clock time with the file's own VTIMEZONE rules.
      const utcMs = ICAL.Time.fromData({ year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second }, zone).toUnixTime() * 1000;
      expect(new Date(utcMs).toISOString(), `${name} of ${want.uid}`).toBe(new Date(ms).toISOString());
    }
    expect(String(vevent.getFirstPropertyValue('organizer')).toLowerCase()).toBe(`mailto:${want.organizer}`);
    expect(vevent.getFirstPropertyValue('status')).toBe(want.status);
    expect(Number(vevent.getFirstPropertyValue('sequence'))).toBe(want.sequence);
    if (want.summary !== undefined) expect(vevent.getFirstPropertyValue('summary')).toBe(want.summary);
  }

  // Last Sunday of March 2026 is the 29th (CET → CEST), of October the 25th (CEST → CET).
  const dstWeeks = [
    ['Friday before spring', '2026-03-27T07:00:00Z', 'CET 08:00'],
    ['Monday after spring', '2026-03-30T06:00:00Z', 'CEST 08:00'],
    ['Friday before autumn', '2026-10-23T06:00:00Z', 'CEST 08:00'],
    ['Monday after autumn', '2026-10-26T07:00:00Z', 'CET 08:00'],
  ] as const;

  it.each(dstWeeks)('buildIcs: %s (%s = %s) with escaped text', (_name, iso) => {
    const startMs = Date.parse(iso);
    const e = { ...event, uid: `dst-${iso}@kdlz-bot`, startMs, endMs: startMs + 90 * 60_000 };
    expectRoundTrip(buildIcs([e], 'REQUEST'), {
      method: 'REQUEST',
      uid: e.uid,
      startMs,
      endMs: e.endMs,
      organizer: e.organizer.email,
      status: 'CONFIRMED',
      sequence: 3,
      summary: event.summary,
    });
  });

  it('the advisor feed (PUBLISH) with all four DST-week events in one file', () => {
    const events = dstWeeks.map(([, iso]) => ({ ...event, uid: `feed-${iso}@kdlz-bot`, startMs: Date.parse(iso), endMs: Date.parse(iso) + 3_600_000 }));
    const text = buildIcs(events, 'PUBLISH', 'KDLZ CS – Berater:in Nord');
    for (const e of events) {
      expectRoundTrip(text, { method: 'PUBLISH', uid: e.uid, startMs: e.startMs, endMs: e.endMs, organizer: e.organizer.email, status: 'CONFIRMED', sequence: 3 });
    }
  });

  it.each([
    ['spring', '2026-03-20T08:00:00Z', ['2026-03-27T07:00:00Z', '2026-03-30T06:00:00Z']],
    ['autumn', '2026-10-15T08:00:00Z', ['2026-10-23T06:00:00Z', '2026-10-26T07:00:00Z']],
  ] as const)('real bookings around the %s change: the chat invitation, the e-mail invitation and the cancellation', async (_n, nowIso, starts) => {
    const { db, service } = await makeService('sqlite', { now: clock(nowIso).now });
    try {
      for (const [i, iso] of starts.entries()) {
        const { booking } = await service.book({ ags: '06531005', appointmentTypeId: 'vor-ort', startMs: Date.parse(iso), contact, idempotencyKey: `ics-${i}` });
        expect(booking.startMs).toBe(Date.parse(iso));
        const want = {
          uid: `${booking.id}@kdlz-bot`,
          startMs: booking.startMs,
          endMs: booking.startMs + 120 * 60_000,
          organizer: service.organizerEmail,
          sequence: booking.version,
        };
        expectRoundTrip(bookingIcs(service, booking), { ...want, method: 'REQUEST', status: 'CONFIRMED' });
        const [row] = await db.query<{ payload: string }>(`SELECT payload FROM booking_outbox WHERE booking_id = $1 AND kind = 'booking.confirmed' AND channel = 'email'`, [booking.id]);
        expectRoundTrip(eventIcs(JSON.parse(row.payload) as BookingEvent, { name: 'KDLZ', email: service.organizerEmail }), { ...want, method: 'REQUEST', status: 'CONFIRMED' });
        const cancelled = await service.cancel(booking.reference!);
        expectRoundTrip(bookingIcs(service, cancelled), { ...want, sequence: cancelled.version, method: 'CANCEL', status: 'CANCELLED' });
      }
    } finally {
      await db.close();
    }
  });
});
