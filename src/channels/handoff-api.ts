/**
 * Staff API for handoffs (sites without Teams, the /staff page, tests). Same bearer token as
 * /api/bookings; every bad input gets a 4xx with a German JSON reason.
 *
 *   GET  /api/handoffs?status=waiting,active     list with transcripts
 *   GET  /api/handoffs/:id                       one request
 *   GET  /api/handoffs/:id/messages              its transcript
 *   POST /api/handoffs/:id/messages {text, agentName}   a message to the user (takes a waiting request)
 *   POST /api/handoffs/:id/take {agentName}      own it ("Übernehmen")
 *   POST /api/handoffs/:id/close {agentName?, text?}    close, with an optional closing message
 *   POST /api/handoffs/:id/callback-done {agentName}    "Rückruf erledigt"
 */
import type { Request, Response, Server } from 'restify';
import { type Handoff, HandoffNotFound, type HandoffService, HandoffStateError, isHandoffStatus, LIMITS, type TranscriptEntry } from '../handoff';
import { sendJsonError } from '../server';
import type { StaffGuard, StaffIdentity } from './staff-auth';

export interface HandoffApiDeps {
  handoffs: HandoffService;
  guard: StaffGuard;
}

const ID = /^h-[\w-]{16}$/;

export function handoffJson(h: Handoff, transcript: TranscriptEntry[]): object {
  return {
    id: h.id,
    status: h.status,
    kommune: h.kommune,
    kommuneAgs: h.kommuneAgs,
    topic: h.topic,
    channel: h.channel,
    contact: h.contact,
    createdAt: new Date(h.createdMs).toISOString(),
    updatedAt: new Date(h.updatedMs).toISOString(),
    takenBy: h.takenBy,
    callbackFrom: h.callbackFromMs === null ? null : new Date(h.callbackFromMs).toISOString(),
    closedAt: h.closedMs === null ? null : new Date(h.closedMs).toISOString(),
    transcript,
  };
}

function body(req: Request): Record<string, unknown> {
  return req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
}

/** The agent's display name: from the body, else from the Entra sign-in; undefined if neither or invalid. */
function agentName(req: Request, who: StaffIdentity): string | undefined | null {
  const v = body(req).agentName;
  if (v === undefined || v === null || v === '') return who.name;
  if (typeof v !== 'string' || v.trim().length === 0 || v.length > LIMITS.agentName) return null;
  return v.trim();
}

export function registerHandoffApi(server: Server, deps: HandoffApiDeps): void {
  const { handoffs, guard } = deps;

  /** Runs a route for one request: auth, id check, 404/409 mapping. */
  const route =
    (fn: (req: Request, res: Response, who: StaffIdentity, id: string) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      const who = await guard(req, res);
      if (!who) return;
      res.header('Cache-Control', 'no-store');
      const id = String(req.params?.id ?? '');
      if (req.params?.id !== undefined && !ID.test(id)) return sendJsonError(res, 404, 'Anfrage nicht gefunden.');
      try {
        await fn(req, res, who, id);
      } catch (e) {
        if (e instanceof HandoffNotFound) return sendJsonError(res, 404, 'Anfrage nicht gefunden.');
        if (e instanceof HandoffStateError) return sendJsonError(res, 409, e.reason, { status: e.handoff.status, takenBy: e.handoff.takenBy });
        throw e;
      }
    };

  const needAgent = (req: Request, res: Response, who: StaffIdentity): string | undefined => {
    const name = agentName(req, who);
    if (name === null) sendJsonError(res, 400, `agentName: Name der Person als Text (höchstens ${LIMITS.agentName} Zeichen).`);
    else if (name === undefined) sendJsonError(res, 400, 'agentName fehlt: Wer schreibt? (Name, wie ihn die Nutzerin sehen soll)');
    return name ?? undefined;
  };

  server.get(
    '/api/handoffs',
    route(async (req, res) => {
      const raw = (req.query ?? {}) as Record<string, unknown>;
      const wanted = typeof raw.status === 'string' && raw.status ? raw.status.split(',').map((s) => s.trim()) : [];
      const bad = wanted.filter((s) => !isHandoffStatus(s));
      if (bad.length || (raw.status !== undefined && typeof raw.status !== 'string')) {
        return sendJsonError(res, 400, 'status: einer oder mehrere von waiting, active, callback, closed (durch Komma getrennt).');
      }
      const list = await handoffs.list(wanted.filter(isHandoffStatus));
      res.json(await Promise.all(list.map(async (h) => handoffJson(h, await handoffs.transcript(h.id)))));
    }),
  );

  server.get(
    '/api/handoffs/:id',
    route(async (_req, res, _who, id) => {
      const h = await handoffs.require(id);
      res.json(handoffJson(h, await handoffs.transcript(id)));
    }),
  );

  server.get(
    '/api/handoffs/:id/messages',
    route(async (_req, res, _who, id) => {
      await handoffs.require(id);
      res.json(await handoffs.transcript(id));
    }),
  );

  server.post(
    '/api/handoffs/:id/messages',
    route(async (req, res, who, id) => {
      const text = body(req).text;
      if (typeof text !== 'string' || !text.trim()) return sendJsonError(res, 400, 'text fehlt: die Nachricht an die Nutzerin oder den Nutzer.');
      if (text.length > LIMITS.text) return sendJsonError(res, 400, `text: höchstens ${LIMITS.text} Zeichen.`);
      const name = needAgent(req, res, who);
      if (!name) return;
      const r = await handoffs.staffMessage(id, name, text);
      res.status(201);
      res.json({ id, status: r.handoff.status, takenBy: r.handoff.takenBy, delivered: r.delivered });
    }),
  );

  server.post(
    '/api/handoffs/:id/take',
    route(async (req, res, who, id) => {
      const name = needAgent(req, res, who);
      if (!name) return;
      const r = await handoffs.take(id, name);
      if (!r.ok) {
        const reason = r.handoff.takenBy ? `Bereits übernommen von ${r.handoff.takenBy}.` : 'Diese Anfrage kann nicht mehr übernommen werden.';
        return sendJsonError(res, 409, reason, { status: r.handoff.status, takenBy: r.handoff.takenBy });
      }
      res.json({ id, status: r.handoff.status, takenBy: r.handoff.takenBy });
    }),
  );

  server.post(
    '/api/handoffs/:id/close',
    route(async (req, res, who, id) => {
      const b = body(req);
      if (b.text !== undefined && (typeof b.text !== 'string' || b.text.length > LIMITS.text)) {
        return sendJsonError(res, 400, `text: Abschlussnachricht als Text (höchstens ${LIMITS.text} Zeichen).`);
      }
      const name = agentName(req, who);
      if (name === null) return sendJsonError(res, 400, `agentName: Name der Person als Text (höchstens ${LIMITS.agentName} Zeichen).`);
      const h = await handoffs.close(id, name, typeof b.text === 'string' ? b.text : undefined);
      res.json({ id, status: h.status });
    }),
  );

  server.post(
    '/api/handoffs/:id/callback-done',
    route(async (req, res, who, id) => {
      const name = needAgent(req, res, who);
      if (!name) return;
      const h = await handoffs.callbackDone(id, name);
      res.json({ id, status: h.status, takenBy: h.takenBy });
    }),
  );
}
