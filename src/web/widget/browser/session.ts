/**
 * What the widget keeps in sessionStorage so that a reload, or a tab opened from this one,
 * continues the same conversation: conversation id, token and its expiry, the watermark of the
 * last activity seen, and whether the panel was open. sessionStorage (not localStorage) because
 * the token must not outlive the browser session on a shared office computer.
 */

export interface ChatSession {
  conversationId: string;
  token: string;
  /** Epoch ms after which the token no longer works. */
  expiresAt: number;
  /** Direct Line watermark of the newest activity this browser has seen. */
  watermark?: string;
}

export interface PersistedState {
  session?: ChatSession;
  open: boolean;
}

/** The answer of the token service and of /tokens/refresh. */
export interface TokenResponse {
  token: string;
  conversationId: string;
  expires_in: number;
}

export function isTokenResponse(v: unknown): v is TokenResponse {
  const o = v as Partial<TokenResponse> | null;
  return (
    typeof o === 'object' && o !== null &&
    typeof o.token === 'string' && o.token.length > 0 &&
    typeof o.conversationId === 'string' && o.conversationId.length > 0 &&
    typeof o.expires_in === 'number' && o.expires_in > 0
  );
}

export function sessionFromToken(r: TokenResponse, now: number): ChatSession {
  return { conversationId: r.conversationId, token: r.token, expiresAt: now + r.expires_in * 1000 };
}

/** Keep a margin so a request sent just before expiry does not arrive just after it. */
const EXPIRY_MARGIN_MS = 2_000;

export function isUsable(s: ChatSession, now: number): boolean {
  return s.expiresAt - EXPIRY_MARGIN_MS > now;
}

/**
 * When to refresh: halfway through the remaining lifetime, so one failed attempt still leaves
 * time for a second one before the token expires.
 */
export function refreshDelay(s: ChatSession, now: number): number {
  return Math.max(0, Math.floor((s.expiresAt - now) / 2));
}

function parseSession(v: unknown): ChatSession | undefined {
  const o = v as Partial<ChatSession> | null;
  if (!o || typeof o !== 'object') return undefined;
  if (typeof o.conversationId !== 'string' || typeof o.token !== 'string' || typeof o.expiresAt !== 'number') return undefined;
  return {
    conversationId: o.conversationId,
    token: o.token,
    expiresAt: o.expiresAt,
    ...(typeof o.watermark === 'string' ? { watermark: o.watermark } : {}),
  };
}

/** sessionStorage may be missing or throw (privacy modes, storage blocked): then nothing persists. */
export class SessionStore {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined,
    private readonly key: string,
  ) {}

  load(): PersistedState {
    try {
      const raw = this.storage?.getItem(this.key);
      if (!raw) return { open: false };
      const parsed = JSON.parse(raw) as { session?: unknown; open?: unknown };
      return { session: parseSession(parsed.session), open: parsed.open === true };
    } catch {
      return { open: false };
    }
  }

  save(state: PersistedState): void {
    try {
      this.storage?.setItem(this.key, JSON.stringify(state));
    } catch {
      /* storage full or blocked: the chat still works, it just will not survive a reload */
    }
  }

  update(patch: Partial<PersistedState>): PersistedState {
    const next = { ...this.load(), ...patch };
    this.save(next);
    return next;
  }

  clear(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      /* see save() */
    }
  }
}
