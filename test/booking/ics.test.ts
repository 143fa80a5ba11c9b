import { describe, expect, it } from 'vitest';
import { buildIcs } from '../../src/booking/ics';

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
