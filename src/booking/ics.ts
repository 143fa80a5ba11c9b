import { DateTime } from 'luxon';
import { ZONE } from './calendar';

/** One appointment in an iCalendar file. */
export interface IcsEvent {
  uid: string;
  /** Increases with each change, so calendars replace the earlier invitation. */
  sequence: number;
  startMs: number;
  endMs: number;
  summary: string;
  description: string;
  location: string;
  organizer: { name: string; email: string };
  attendees: { name: string; email: string }[];
  status: 'CONFIRMED' | 'CANCELLED';
  stampMs: number;
}

/** Europe/Berlin with its DST rules, so every client shows the right local time. */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

function quoteParam(s: string): string {
  return `"${s.replace(/"/g, "'")}"`;
}

/** RFC 5545 §3.1: lines longer than 75 octets continue on the next line after CRLF + space. */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of line) {
    const len = Buffer.byteLength(ch);
    if (size + len > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += len;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const local = (ms: number): string => DateTime.fromMillis(ms, { zone: ZONE }).toFormat("yyyyLLdd'T'HHmmss");
const utc = (ms: number): string => DateTime.fromMillis(ms, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'");

/** An iCalendar file (CRLF line ends). METHOD:REQUEST/CANCEL for invitations, PUBLISH for feeds. */
export function buildIcs(events: readonly IcsEvent[], method: 'REQUEST' | 'CANCEL' | 'PUBLISH', calendarName?: string): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//KDLZ-Bot//Terminbuchung//DE', 'CALSCALE:GREGORIAN', `METHOD:${method}`];
  if (calendarName) lines.push(`X-WR-CALNAME:${escapeText(calendarName)}`, 'X-WR-TIMEZONE:Europe/Berlin');
  lines.push(...VTIMEZONE);
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `SEQUENCE:${e.sequence}`,
      `DTSTAMP:${utc(e.stampMs)}`,
      `DTSTART;TZID=Europe/Berlin:${local(e.startMs)}`,
      `DTEND;TZID=Europe/Berlin:${local(e.endMs)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `DESCRIPTION:${escapeText(e.description)}`,
      `LOCATION:${escapeText(e.location)}`,
      `ORGANIZER;CN=${quoteParam(e.organizer.name)}:mailto:${e.organizer.email}`,
      ...e.attendees.map((a) => `ATTENDEE;CN=${quoteParam(a.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:${a.email}`),
      `STATUS:${e.status}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
