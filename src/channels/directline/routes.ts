import type { IncomingMessage } from 'node:http';
import type { Activity } from 'botbuilder';
import type restify from 'restify';
import type { Logger } from '../../log';
import { sendJsonError } from '../../server';
import { requestClientKey } from '../client-address';
import { applyCors, type CorsPolicy } from '../cors';
import { BOT_ACCOUNT, DIRECT_LINE_CHANNEL_ID, type BotLike, type DirectLineAdapter } from './adapter';
import { activityId, ConversationFull, ConversationNotFound, newUserId, type Conversation, type DirectLineStore } from './store';
import type { UpgradeDecision } from './stream';
import { isSecret, type TokenClaims, type TokenIssuer } from './tokens';

export const DIRECT_LINE_PREFIX = '/v3/directline';

/** Activity types a Direct Line client may post. */
const CLIENT_TYPES = new Set(['message', 'event', 'typing']);
/** Activities per GET (a longer history arrives over several polls). */
const PAGE = 500;
/** Stored JSON per GET page: four pages of 500 large activities pushed RSS from 229 MB to 1.5 GB. */
export const PAGE_BYTES = 256 * 1024;
/** The largest activity a client may post (as stored); text, card values and channel data together. */
export const MAX_ACTIVITY_BYTES = 32 * 1024;
/** A stream ticket only needs to live until the client has opened its WebSocket. */
const STREAM_TICKET_SEC = 120;

export interface RouteDeps {
  store: DirectLineStore;
  issuer: TokenIssuer;
  adapter: DirectLineAdapter;
  bot: BotLike;
  secret?: string;
  tokenTtlSec: number;
  publicBaseUrl?: string;
  cors: CorsPolicy;
  /** TRUST_PROXY_HOPS: how the client's address is read (rate limits in the bot). */
  trustProxyHops?: number;
  logger: Logger;
  /** Clock (epoch ms), shared with the token issuer so expiry is judged consistently. */
  now: () => number;
}

type Auth = { kind: 'secret' } | { kind: 'token'; claims: TokenClaims };
type Failure = { status: number; error: string; code: string };

const fail = (status: number, error: string, code: string): Failure => ({ status, error, code });
const isFailure = (x: unknown): x is Failure => typeof (x as Failure)?.status === 'number' && typeof (x as Failure)?.code === 'string';

function bearer(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return m?.[1];
}

/** The user id a token service or secret holder may choose (Direct Line allows it). */
function chosenUserId(body: unknown): string | undefined {
  const id = (body as { user?: { id?: unknown } } | undefined)?.user?.id;
  return typeof id === 'string' && /^[A-Za-z0-9_.:@-]{1,64}$/.test(id) ? id : undefined;
}

/** Why a posted body is not an activity a client may send, or undefined if it is one. */
export function clientActivityProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'Der Inhalt ist keine Activity (JSON-Objekt erwartet).';
  const a = body as Record<string, unknown>;
  if (typeof a.type !== 'string' || !CLIENT_TYPES.has(a.type)) return 'Feld "type" fehlt oder ist nicht erlaubt (message, event, typing).';
  if (a.text !== undefined && typeof a.text !== 'string') return 'Feld "text" muss ein Text sein.';
  if (a.name !== undefined && typeof a.name !== 'string') return 'Feld "name" muss ein Text sein.';
  if (a.attachments !== undefined && !Array.isArray(a.attachments)) return 'Feld "attachments" muss eine Liste sein.';
  if (a.entities !== undefined && !Array.isArray(a.entities)) return 'Feld "entities" muss eine Liste sein.';
  if (a.channelData !== undefined && (a.channelData === null || typeof a.channelData !== 'object')) return 'Feld "channelData" muss ein Objekt sein.';
  if (a.from !== undefined && (a.from === null || typeof a.from !== 'object')) return 'Feld "from" muss ein Objekt sein.';
  if (a.type === 'event' && typeof a.name !== 'string') return 'Ein "event" braucht das Feld "name".';
  return undefined;
}

/** Fields a client activity may carry; everything that identifies or routes is set here. */
const CLIENT_FIELDS = ['type', 'text', 'textFormat', 'locale', 'value', 'name', 'attachments', 'entities', 'channelData', 'localTimestamp', 'localTimezone', 'replyToId', 'speak', 'inputHint'] as const;

export function parseWatermark(raw: unknown): number | undefined {
  if (raw === undefined || raw === '' || raw === null) return 0;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

export function baseUrl(req: { headers: IncomingMessage['headers']; socket: IncomingMessage['socket'] }, publicBaseUrl?: string): string {
  if (publicBaseUrl) return publicBaseUrl.replace(/\/+$/, '');
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
  return `${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
}

export class DirectLineRoutes {
  constructor(private readonly d: RouteDeps) {}

  private async authenticate(req: restify.Request): Promise<Auth | Failure> {
    const presented = bearer(req.headers.authorization);
    if (!presented) return fail(401, 'Anmeldung fehlt: "Authorization: Bearer <Token>" erwartet.', 'MissingToken');
    if (isSecret(presented, this.d.secret)) return { kind: 'secret' };
    const check = await this.d.issuer.verify(presented, { scope: 'api' });
    if (check.ok) return { kind: 'token', claims: check.claims };
    // 403 for an expired token is what botframework-directlinejs (and Web Chat) read as
    // "token expired, renew it"; a 401 would make the client give up silently.
    if (check.reason === 'expired') return fail(403, 'Das Token ist abgelaufen.', 'TokenExpired');
    return fail(401, 'Das Token ist ungültig.', 'InvalidToken');
  }

  /** The conversation the caller may use, or why not (foreign token 403 before any lookup). */
  private async conversationFor(auth: Auth, id: string): Promise<Conversation | Failure> {
    if (auth.kind === 'token' && auth.claims.conv !== id) return fail(403, 'Dieses Token gilt nicht für dieses Gespräch.', 'Forbidden');
    const conversation = /^[A-Za-z0-9_.|-]{1,128}$/.test(id) ? await this.d.store.get(id) : undefined;
    return conversation ?? fail(404, 'Gespräch nicht gefunden oder abgelaufen.', 'ConversationNotFound');
  }

  async issueToken(conversation: Pick<Conversation, 'id' | 'userId'>): Promise<{ token: string; expires_in: number }> {
    const token = await this.d.issuer.sign({ conv: conversation.id, user: conversation.userId, scope: 'api' }, this.d.tokenTtlSec);
    return { token, expires_in: this.d.tokenTtlSec };
  }

  private async streamUrl(req: restify.Request, conversation: Conversation, watermark: number | undefined): Promise<string> {
    const ticket = await this.d.issuer.sign({ conv: conversation.id, user: conversation.userId, scope: 'stream' }, STREAM_TICKET_SEC);
    const ws = baseUrl(req, this.d.publicBaseUrl).replace(/^http/, 'ws');
    const wm = watermark ? `&watermark=${watermark}` : '';
    return `${ws}${DIRECT_LINE_PREFIX}/conversations/${encodeURIComponent(conversation.id)}/stream?t=${encodeURIComponent(ticket)}${wm}`;
  }

  /** Sends the opening conversationUpdate to the bot once per conversation (its greeting). */
  async start(req: { headers: IncomingMessage['headers']; socket: IncomingMessage['socket'] }, conversation: Conversation): Promise<void> {
    if (!(await this.d.store.markStarted(conversation.id))) return;
    const activity: Partial<Activity> = {
      type: 'conversationUpdate',
      id: `${conversation.id}|start`,
      channelId: DIRECT_LINE_CHANNEL_ID,
      serviceUrl: baseUrl(req, this.d.publicBaseUrl),
      timestamp: new Date(this.d.now()),
      conversation: { id: conversation.id } as Activity['conversation'],
      from: { id: conversation.userId, name: '', role: 'user' },
      recipient: { ...BOT_ACCOUNT },
      membersAdded: [{ ...BOT_ACCOUNT }, { id: conversation.userId, name: '' }],
    };
    await this.runTurn(activity);
  }

  private async runTurn(activity: Partial<Activity>, clientKey?: string): Promise<void> {
    try {
      await this.d.adapter.processActivity(activity, (ctx) => this.d.bot.run(ctx), clientKey);
    } catch (err) {
      // onTurnError already answered the user if it could; the stored activity stays valid.
      this.d.adapter.logTurnFailure(err, activity.conversation!.id);
    }
  }

  register(server: restify.Server): void {
    const p = DIRECT_LINE_PREFIX;
    const handle = (fn: (req: restify.Request, res: restify.Response) => Promise<void>) => async (req: restify.Request, res: restify.Response) => {
      applyCors(req, res, this.d.cors);
      try {
        await fn(req, res);
      } catch (err) {
        this.d.logger.error({ err, route: req.getRoute?.()?.path }, 'direct line request failed');
        sendJsonError(res, 500, 'Interner Fehler.');
      }
    };
    const reject = (res: restify.Response, f: Failure) => sendJsonError(res, f.status, f.error, { code: f.code });

    server.post(`${p}/tokens/generate`, handle(async (req, res) => {
      const auth = await this.authenticate(req);
      if (isFailure(auth)) return reject(res, auth);
      if (auth.kind !== 'secret') return reject(res, fail(403, 'Tokens erzeugt nur, wer das Direct-Line-Secret hat.', 'Forbidden'));
      const conversation = await this.d.store.create(chosenUserId(req.body) ?? newUserId());
      res.json({ conversationId: conversation.id, ...(await this.issueToken(conversation)) });
    }));

    server.post(`${p}/tokens/refresh`, handle(async (req, res) => {
      const auth = await this.authenticate(req);
      if (isFailure(auth)) return reject(res, auth);
      if (auth.kind !== 'token') return reject(res, fail(400, 'Erneuert werden nur Tokens, nicht das Secret.', 'BadArgument'));
      const conversation = await this.conversationFor(auth, auth.claims.conv);
      if (isFailure(conversation)) return reject(res, conversation);
      res.json({ conversationId: conversation.id, ...(await this.issueToken(conversation)) });
    }));

    server.post(`${p}/conversations`, handle(async (req, res) => {
      const auth = await this.authenticate(req);
      if (isFailure(auth)) return reject(res, auth);
      let conversation: Conversation | Failure;
      let token: { token: string; expires_in: number };
      if (auth.kind === 'secret') {
        conversation = await this.d.store.create(chosenUserId(req.body) ?? newUserId());
        token = await this.issueToken(conversation);
      } else {
        conversation = await this.conversationFor(auth, auth.claims.conv);
        if (isFailure(conversation)) return reject(res, conversation);
        token = { token: bearer(req.headers.authorization)!, expires_in: Math.max(0, auth.claims.exp - Math.floor(this.d.now() / 1000)) };
      }
      await this.start(req, conversation);
      res.status(201);
      res.json({ conversationId: conversation.id, ...token, streamUrl: await this.streamUrl(req, conversation, undefined) });
    }));

    /** Authenticates a GET on one conversation with a watermark; answers the failure itself. */
    const readable = async (req: restify.Request, res: restify.Response) => {
      const auth = await this.authenticate(req);
      if (isFailure(auth)) return reject(res, auth);
      const watermark = parseWatermark((req.query as Record<string, unknown>)?.watermark);
      if (watermark === undefined) return sendJsonError(res, 400, 'Ungültiges Wasserzeichen (watermark).', { code: 'BadArgument' });
      const conversation = await this.conversationFor(auth, req.params.id);
      if (isFailure(conversation)) return reject(res, conversation);
      return { conversation, watermark };
    };

    server.get(`${p}/conversations/:id`, handle(async (req, res) => {
      const ok = await readable(req, res);
      if (!ok) return;
      const { conversation, watermark } = ok;
      // A conversation minted by the token service is first opened here (Web Chat resumes by
      // id): greet it then. start() runs the opening conversationUpdate only once per conversation.
      await this.start(req, conversation);
      res.json({
        conversationId: conversation.id,
        ...(await this.issueToken(conversation)),
        streamUrl: await this.streamUrl(req, conversation, watermark),
      });
    }));

    server.get(`${p}/conversations/:id/activities`, handle(async (req, res) => {
      const ok = await readable(req, res);
      if (!ok) return;
      const { conversation, watermark } = ok;
      const { rows } = await this.d.store.pageAfter(conversation.id, watermark, PAGE, PAGE_BYTES);
      const last = rows.length ? rows[rows.length - 1].seq : watermark;
      // The stored JSON goes out as it is: no parse and re-serialise of up to 256 KB per request.
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(`{"activities":[${rows.map((r) => r.json).join(',')}],"watermark":"${last}"}`);
    }));

    server.post(`${p}/conversations/:id/activities`, handle(async (req, res) => {
      const auth = await this.authenticate(req);
      if (isFailure(auth)) return reject(res, auth);
      const conversation = await this.conversationFor(auth, req.params.id);
      if (isFailure(conversation)) return reject(res, conversation);
      const problem = clientActivityProblem(req.body);
      if (problem) return sendJsonError(res, 400, problem, { code: 'BadArgument' });
      const body = req.body as Record<string, unknown>;
      if (body.type === 'typing') {
        // The bot has no use for the user's typing indicator; it is acknowledged, not stored.
        res.json({ id: `${conversation.id}|typing` });
        return;
      }
      const incoming = this.incoming(req, body, conversation, auth);
      const size = Buffer.byteLength(JSON.stringify(incoming));
      if (size > MAX_ACTIVITY_BYTES) {
        return sendJsonError(res, 413, `Die Nachricht ist zu groß (${Math.ceil(size / 1024)} KB, höchstens ${MAX_ACTIVITY_BYTES / 1024} KB).`, {
          code: 'ActivityTooLarge',
        });
      }
      let stored;
      try {
        [stored] = await this.d.store.append(conversation.id, [incoming], (a, seq) => ({ ...a, id: activityId(conversation.id, seq) }));
      } catch (e) {
        if (e instanceof ConversationNotFound) return reject(res, fail(404, 'Gespräch nicht gefunden oder abgelaufen.', 'ConversationNotFound'));
        if (e instanceof ConversationFull) {
          return reject(res, fail(429, 'Dieses Gespräch ist zu lang geworden. Bitte beginnen Sie ein neues Gespräch.', 'ConversationFull'));
        }
        throw e;
      }
      // The echo (with the client's clientActivityID) goes out before the bot starts thinking.
      this.onUserActivity(conversation.id, stored);
      await this.runTurn(stored.activity, requestClientKey(req, this.d.trustProxyHops ?? 0));
      res.json({ id: stored.activity.id });
    }));

    server.post(`${p}/conversations/:id/upload`, handle(async (req, res) => {
      const auth = await this.authenticate(req);
      if (isFailure(auth)) return reject(res, auth);
      const conversation = await this.conversationFor(auth, req.params.id);
      if (isFailure(conversation)) return reject(res, conversation);
      sendJsonError(res, 501, 'Das Hochladen von Dateien wird nicht unterstützt.', { code: 'NotImplemented' });
    }));
  }

  /** Set by createDirectLine: hands stored user activities to the stream. */
  onUserActivity: (conversationId: string, stored: { seq: number; activity: Partial<Activity> }) => void = () => undefined;

  /** The user's activity as stored: client content, server-set identity and routing. */
  private incoming(req: restify.Request, body: Record<string, unknown>, conversation: Conversation, auth: Auth): Partial<Activity> {
    const a: Record<string, unknown> = {};
    for (const f of CLIENT_FIELDS) if (body[f] !== undefined) a[f] = body[f];
    const from = (body.from ?? {}) as { id?: unknown; name?: unknown };
    // A token fixes the user; only the secret holder (a trusted backend) may speak for others.
    const userId = auth.kind === 'secret' && typeof from.id === 'string' && from.id ? from.id : conversation.userId;
    const name = typeof from.name === 'string' ? from.name.slice(0, 100) : undefined;
    return {
      ...a,
      channelId: DIRECT_LINE_CHANNEL_ID,
      serviceUrl: baseUrl(req, this.d.publicBaseUrl),
      timestamp: new Date(this.d.now()),
      conversation: { id: conversation.id } as Activity['conversation'],
      from: { id: userId, name: name ?? '', role: 'user' },
      recipient: { ...BOT_ACCOUNT },
    } as Partial<Activity>;
  }

  /** Authorises a WebSocket upgrade for `/v3/directline/conversations/:id/stream?t=…&watermark=`. */
  async decideUpgrade(req: IncomingMessage): Promise<UpgradeDecision | undefined> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/.exec(url.pathname);
    if (!m) return undefined;
    const conversationId = decodeURIComponent(m[1]);
    const presented = url.searchParams.get('t') ?? bearer(req.headers.authorization);
    let claims: TokenClaims | undefined;
    if (presented) {
      for (const scope of ['stream', 'api'] as const) {
        const check = await this.d.issuer.verify(presented, { scope });
        if (check.ok) {
          claims = check.claims;
          break;
        }
        if (check.reason === 'expired') return { ok: false, status: 403, reason: 'token expired' };
      }
    }
    if (!claims) return { ok: false, status: 401, reason: 'missing or invalid token' };
    if (claims.conv !== conversationId) return { ok: false, status: 403, reason: 'token not valid for this conversation' };
    const watermark = parseWatermark(url.searchParams.get('watermark') ?? undefined);
    if (watermark === undefined) return { ok: false, status: 400, reason: 'invalid watermark' };
    if (!(await this.d.store.get(conversationId))) return { ok: false, status: 404, reason: 'conversation not found' };
    return { ok: true, conversationId, watermark };
  }
}
