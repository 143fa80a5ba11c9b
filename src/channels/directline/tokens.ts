import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as JoseModule from 'jose' with { 'resolution-mode': 'import' };
import { ETagConflict, type KvStore } from '../../storage';

/** jose is ESM-only; this CommonJS project loads it with a real dynamic import. */
type Jose = typeof JoseModule;
let josePromise: Promise<Jose> | undefined;
const loadJose = (): Promise<Jose> => (josePromise ??= import('jose'));

const ISSUER = 'kdlz-bot';
const AUDIENCE = 'directline';
const KEY_KV = 'directline:signing-key';

/** What a Direct Line token grants: one conversation, as one user. */
export interface TokenClaims {
  conv: string;
  user: string;
  /** 'api' for the REST calls, 'stream' only for opening the WebSocket of streamUrl. */
  scope: 'api' | 'stream';
  /** Expiry, epoch seconds. */
  exp: number;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

/**
 * The key that signs tokens. Derived from the Direct Line secret, so every instance with the
 * same secret agrees without sharing anything else. Without a secret (local development) a
 * random key is created once and kept in the database for all instances.
 */
export async function loadSigningKey(secret: string | undefined, kv: KvStore): Promise<Uint8Array> {
  if (secret) return new Uint8Array(createHmac('sha256', secret).update('kdlz-directline-token-key-v1').digest());
  const existing = await kv.get<string>(KEY_KV);
  if (existing) return new Uint8Array(Buffer.from(existing, 'base64'));
  try {
    // A made-up eTag on a missing item is a create-only write: of two instances, one wins.
    await kv.write(KEY_KV, randomBytes(32).toString('base64'), 'create-only');
  } catch (e) {
    if (!(e instanceof ETagConflict)) throw e;
  }
  const stored = await kv.get<string>(KEY_KV);
  if (!stored) throw new Error('Direct Line signing key could not be stored');
  return new Uint8Array(Buffer.from(stored, 'base64'));
}

/** Constant-time comparison of a presented bearer value with the secret. */
export function isSecret(presented: string, secret: string | undefined): boolean {
  if (!secret) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

export class TokenIssuer {
  constructor(
    private readonly key: Uint8Array,
    private readonly now: () => number,
  ) {}

  async sign(claims: { conv: string; user: string; scope: TokenClaims['scope'] }, ttlSec: number): Promise<string> {
    const { SignJWT } = await loadJose();
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({ conv: claims.conv, user: claims.user, scope: claims.scope })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSec)
      .sign(this.key);
  }

  /**
   * Checks signature, issuer, audience and expiry. `allowExpiredForMs` accepts a token that
   * expired at most that long ago (used only to re-issue a token for the same conversation).
   */
  async verify(token: string | undefined, opts: { scope: TokenClaims['scope']; allowExpiredForMs?: number }): Promise<TokenCheck> {
    if (!token) return { ok: false, reason: 'missing' };
    const { errors, jwtVerify } = await loadJose();
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: new Date(this.now() - (opts.allowExpiredForMs ?? 0)),
      });
      const { conv, user, scope, exp } = payload as Record<string, unknown>;
      if (typeof conv !== 'string' || typeof user !== 'string' || scope !== opts.scope || typeof exp !== 'number') {
        return { ok: false, reason: 'invalid' };
      }
      return { ok: true, claims: { conv, user, scope: opts.scope, exp } };
    } catch (e) {
      if (e instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
      return { ok: false, reason: 'invalid' };
    }
  }
}
