import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_PATTERN } from '../../src/booking';
import { tokenMatches } from '../../src/channels/staff-api';
import { startTestServer, type TestServer } from '../helpers/server';

const TOKEN = 'staff-token-0123456789';
let srv: TestServer;
const auth = { authorization: `Bearer ${TOKEN}` };

/** The next bookable working day's 09:00 Berlin of the shipped booking.yaml, as found by the API itself. */
async function firstSlot(type = 'kdlz-cs-stufe-2', ags = '06531003'): Promise<{ start: string; advisorId: string }> {
  const r = await fetch(`${srv.url}/api/slots?ags=${ags}&type=${type}&days=14`, { headers: auth });
  expect(r.status).toBe(200);
  const { slots } = (await r.json()) as { slots: { start: string; advisorId: string }[] };
  expect(slots.length).toBeGreaterThan(0);
  return slots[0];
}

const contact = { name: 'Erika Muster', role: 'IT-Leitung', email: 'erika@gemeinde.example', phone: '0123 456789' };

beforeAll(async () => {
  srv = await startTestServer({ STAFF_API_TOKEN: TOKEN, OUTBOX_DIR: '/tmp/kdlz-test-outbox-' + process.pid });
});
afterAll(async () => {
  await srv?.close();
});

describe('staff API', () => {
  it.each([
    ['no header', {}],
    ['wrong token', { authorization: 'Bearer nope' }],
    ['token without Bearer', { authorization: TOKEN }],
  ])('401 with %s', async (_n, headers) => {
    for (const path of ['/api/bookings?from=2026-01-01&to=2026-02-01', '/api/advisors/beratung-nord/calendar.ics']) {
      const r = await fetch(srv.url + path, { headers });
      expect(r.status).toBe(401);
      expect(((await r.json()) as { error: string }).error).toMatch(/Bearer/);
    }
  });

  it('tokenMatches compares exactly', () => {
    expect(tokenMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(tokenMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches(undefined, TOKEN)).toBe(false);
    expect(tokenMatches('Bearer ', '')).toBe(false);
  });

  it('books via POST (idempotent), lists it, serves the advisor calendar, refuses a taken slot with 409', async () => {
    const slot = await firstSlot();
    const body = JSON.stringify({ ags: '06531003', appointmentTypeId: 'kdlz-cs-stufe-2', start: slot.start, contact });
    const post = (key: string) => fetch(`${srv.url}/api/bookings`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': key }, body });
    const first = await post('key-00000001');
    expect(first.status).toBe(201);
    const booked = (await first.json()) as { reference: string; start: string; advisor: { id: string } };
    expect(booked.reference).toMatch(REFERENCE_PATTERN);
    const again = await post('key-00000001');
    expect(again.status).toBe(200);
    expect(((await again.json()) as { reference: string }).reference).toBe(booked.reference);
    const taken = await post('key-00000002');
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { error: string }).error).toMatch(/vergeben/);

    const day = slot.start.slice(0, 10);
    const list = await fetch(`${srv.url}/api/bookings?from=${day}&to=${day}T23:59:59Z`, { headers: auth });
    const { bookings } = (await list.json()) as { bookings: { reference: string; contact: unknown }[] };
    expect(bookings.map((b) => b.reference)).toEqual([booked.reference]);
    expect(bookings[0].contact).toEqual(contact);

    const ics = await fetch(`${srv.url}/api/advisors/${booked.advisor.id}/calendar.ics`, { headers: auth });
    expect(ics.headers.get('content-type')).toMatch(/text\/calendar/);
    const text = await ics.text();
    expect(text).toContain('METHOD:PUBLISH');
    expect(text).toContain(booked.reference);
    expect((await fetch(`${srv.url}/api/advisors/unbekannt/calendar.ics`, { headers: auth })).status).toBe(404);
  });

  it.each([
    ['in the past', { start: '2020-01-06T08:00:00Z' }, /Vergangenheit/],
    ['on a weekend (holidays: see calendar.test.ts with a fixed clock)', { start: 'SATURDAY' }, /Wochenende/],
    ['at night', { start: 'NIGHT' }, /Außerhalb der Beratungszeiten/],
    ['beyond the horizon', { start: '2099-06-01T07:00:00Z' }, /Höchstens bis/],
    ['unknown AGS', { ags: '99999999' }, /Gemeindeschlüssel/],
    ['bad e-mail', { contact: { ...contact, email: 'x@y' } }, /email/],
    ['missing start', { start: undefined }, /start/],
  ])('400 with the reason: %s', async (_name, patch, reason) => {
    const slot = await firstSlot();
    const saturday = new Date(Date.parse(slot.start) + 7 * 86_400_000);
    saturday.setUTCDate(saturday.getUTCDate() + ((6 - saturday.getUTCDay() + 7) % 7));
    const start =
      patch.start === 'NIGHT' ? slot.start.slice(0, 10) + 'T01:00:00Z'
      : patch.start === 'SATURDAY' ? saturday.toISOString().slice(0, 10) + 'T08:00:00Z'
      : 'start' in patch ? patch.start : slot.start;
    const body = { ags: '06531003', appointmentTypeId: 'kdlz-cs-stufe-2', contact, ...patch, start };
    const r = await fetch(`${srv.url}/api/bookings`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'bad-' + Math.random().toString(36).slice(2) }, body: JSON.stringify(body) });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(reason);
  });

  it('400 for a bad range', async () => {
    expect((await fetch(`${srv.url}/api/bookings?from=gestern&to=2026-01-01`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${srv.url}/api/bookings?from=2026-02-01&to=2026-01-01`, { headers: auth })).status).toBe(400);
  });
});
