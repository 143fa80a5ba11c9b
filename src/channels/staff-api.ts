/**
 * HTTP API for KDLZ staff and their scheduling system: bookings in a time range as JSON, an
 * advisor's calendar as an .ics feed, free slots, and booking on someone's behalf. Every route
 * needs the bearer token STAFF_API_TOKEN (compared in constant time).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import {
  type Booking,
  BookingNotFound,
  BookingRequestInvalid,
  type BookingService,
  buildIcs,
  SlotUnavailable,
} from '../booking';
import { sendJsonError } from '../server';

export interface StaffApiDeps {
  booking: BookingService;
  /** Unset: the API answers 503 (not configured) instead of being open. */
  token?: string;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time comparison of the presented bearer token with the configured one. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  // Compare digests: equal length always, so timingSafeEqual never throws or leaks the length.
  return timingSafeEqual(digest(m ? m[1] : ''), digest(token)) && m !== null;
}

/** "2026-06-01" (Berlin midnight is close enough as UTC date) or a full ISO instant → epoch ms. */
function parseInstant(v: unknown): number | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return undefined;
  const ms = Date.parse(v.length === 10 ? v + 'T00:00:00Z' : v);
  return Number.isFinite(ms) ? ms : undefined;
}

function bookingJson(service: BookingService, b: Booking): object {
  const advisor = service.advisor(b.advisorId);
  const type = service.appointmentType(b.appointmentTypeId);
  return {
    reference: b.reference,
    status: b.status,
    start: new Date(b.startMs).toISOString(),
    end: new Date(b.endMs).toISOString(),
    appointmentType: { id: b.appointmentTypeId, name: type?.name ?? b.appointmentTypeId, place: type?.place },
    location: service.location(b),
    advisor: { id: b.advisorId, name: advisor?.name ?? b.advisorId },
    municipality: { ags: b.ags, name: b.municipalityName },
    contact: b.contact,
    version: b.version,
    updatedAt: new Date(b.updatedMs).toISOString(),
  };
}

export function registerStaffApi(server: Server, deps: StaffApiDeps): void {
  const { booking } = deps;

  /** Answers 401/503 itself and returns false unless the request carries the right token. */
  const authorised = (req: Request, res: Response): boolean => {
    if (!deps.token) {
      sendJsonError(res, 503, 'Die Mitarbeitenden-API ist nicht eingerichtet (STAFF_API_TOKEN fehlt).');
      return false;
    }
    if (!tokenMatches(req.headers.authorization, deps.token)) {
      res.header('WWW-Authenticate', 'Bearer realm="kdlz-staff"');
      sendJsonError(res, 401, 'Anmeldung erforderlich: gültiges Bearer-Token fehlt.');
      return false;
    }
    return true;
  };

  server.get('/api/bookings', async (req: Request, res: Response) => {
    if (!authorised(req, res)) return;
    const q = (req.query ?? {}) as Record<string, unknown>;
    const from = parseInstant(q.from);
    const to = parseInstant(q.to);
    if (from === undefined || to === undefined) return sendJsonError(res, 400, 'Parameter from und to als ISO-Datum (z. B. 2026-06-01) erforderlich.');
    if (to <= from) return sendJsonError(res, 400, 'to muss nach from liegen.');
    if (to - from > 400 * 86_400_000) return sendJsonError(res, 400, 'Zeitraum höchstens 400 Tage.');
    const list = await booking.listRange(from, to);
    res.header('Cache-Control', 'no-store');
    res.json({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), bookings: list.map((b) => bookingJson(booking, b)) });
  });

  server.get('/api/advisors/:id/calendar.ics', async (req: Request, res: Response) => {
    if (!authorised(req, res)) return;
    const advisor = booking.advisor(String(req.params.id));
    if (!advisor) return sendJsonError(res, 404, 'Unbekannte Beraterin / unbekannter Berater.');
    const now = booking.clock();
    const list = (await booking.listRange(now - 30 * 86_400_000, now + 400 * 86_400_000, advisor.id)).filter((b) => b.status === 'confirmed');
    const ics = buildIcs(
      list.map((b) => ({
        uid: `${b.id}@kdlz-bot`,
        sequence: b.version,
        startMs: b.startMs,
        endMs: b.endMs,
        summary: `${b.reference}: ${booking.appointmentType(b.appointmentTypeId)?.name ?? b.appointmentTypeId} – ${b.municipalityName}`,
        description: b.contact ? `Ansprechperson: ${b.contact.name}, ${b.contact.role}, ${b.contact.email}, ${b.contact.phone}` : 'Kontaktdaten gelöscht',
        location: booking.location(b),
        organizer: { name: booking.calendar.organizer.name, email: booking.organizerEmail },
        attendees: [],
        status: 'CONFIRMED' as const,
        stampMs: b.updatedMs,
      })),
      'PUBLISH',
      `KDLZ-Termine ${advisor.name}`,
    );
    res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(ics);
  });

  server.get('/api/slots', async (req: Request, res: Response) => {
    if (!authorised(req, res)) return;
    const q = (req.query ?? {}) as Record<string, string>;
    try {
      const slots = await booking.searchSlots({
        ags: String(q.ags ?? ''),
        appointmentTypeId: String(q.type ?? ''),
        fromDay: /^\d{4}-\d{2}-\d{2}$/.test(q.from ?? '') ? q.from : undefined,
        days: Math.min(31, Math.max(1, Number(q.days) || 7)),
        limit: Math.min(50, Math.max(1, Number(q.limit) || 6)),
      });
      res.json({ slots: slots.map((s) => ({ advisorId: s.advisorId, appointmentTypeId: s.appointmentTypeId, start: new Date(s.startMs).toISOString(), end: new Date(s.endMs).toISOString() })) });
    } catch (e) {
      if (e instanceof BookingRequestInvalid) return sendJsonError(res, 400, e.reason);
      throw e;
    }
  });

  /** Books directly; the Idempotency-Key header (or body field) makes retries safe. */
  server.post('/api/bookings', async (req: Request, res: Response) => {
    if (!authorised(req, res)) return;
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const key = String(req.headers['idempotency-key'] ?? body.idempotencyKey ?? '');
    if (!/^[\w.:-]{8,100}$/.test(key)) return sendJsonError(res, 400, 'Idempotency-Key (8–100 Zeichen) erforderlich.');
    const startMs = parseInstant(body.start);
    if (startMs === undefined || String(body.start).length === 10) return sendJsonError(res, 400, 'start als ISO-Zeitpunkt erforderlich (z. B. 2026-06-03T06:00:00Z).');
    try {
      const c = (body.contact ?? {}) as Record<string, string>;
      const r = await booking.book({
        ags: String(body.ags ?? ''),
        appointmentTypeId: String(body.appointmentTypeId ?? ''),
        advisorId: typeof body.advisorId === 'string' ? body.advisorId : undefined,
        startMs,
        contact: { name: c.name, role: c.role, email: c.email, phone: c.phone },
        idempotencyKey: 'api:' + key,
        channelId: 'staff-api',
      });
      res.status(r.created ? 201 : 200);
      res.json(bookingJson(booking, r.booking));
    } catch (e) {
      if (e instanceof SlotUnavailable) return sendJsonError(res, e.kind === 'taken' ? 409 : 400, e.reason);
      if (e instanceof BookingRequestInvalid) return sendJsonError(res, 400, e.reason);
      throw e;
    }
  });

  server.del('/api/bookings/:reference', async (req: Request, res: Response) => {
    if (!authorised(req, res)) return;
    try {
      const b = await booking.cancel(String(req.params.reference), 'staff');
      res.json(bookingJson(booking, b));
    } catch (e) {
      if (e instanceof BookingNotFound) return sendJsonError(res, 404, 'Nicht gefunden.');
      throw e;
    }
  });

  /** Notifications the outbox gave up on after its last attempt (each logged as an error). */
  server.get('/api/outbox', async (req: Request, res: Response) => {
    if (!authorised(req, res)) return;
    const list = await booking.abandonedDeliveries();
    res.header('Cache-Control', 'no-store');
    res.json({
      abandoned: list.map((d) => ({
        eventId: d.eventId,
        channel: d.channel,
        kind: d.kind,
        reference: d.reference,
        attempts: d.attempts,
        createdAt: new Date(d.createdMs).toISOString(),
        abandonedAt: new Date(d.abandonedMs).toISOString(),
        lastError: d.lastError,
        retry: `/api/outbox/${encodeURIComponent(d.eventId)}/${d.channel}/retry`,
      })),
    });
  });

  /** Sends an abandoned notification again, now (with the usual retries). */
  server.post('/api/outbox/:eventId/:channel/retry', async (req: Request, res: Response) => {
    if (!authorised(req, res)) return;
    const ok = await booking.retryDelivery(String(req.params.eventId), String(req.params.channel));
    if (!ok) return sendJsonError(res, 404, 'Keine aufgegebene Zustellung mit dieser Ereignis-ID und diesem Kanal.');
    res.json({ retried: true });
  });
}
