/**
 * The two ways the widget gets a token: refreshing the current one at Direct Line, and asking
 * the portal's token service for a new one (bound to the same conversation when the service
 * still allows it). Errors come back as values: the widget decides what the user is told.
 */
import { isTokenResponse, type TokenResponse } from './session';

export type TokenResult =
  | { ok: true; value: TokenResponse }
  | { ok: false; status: number; retryAfterSec?: number };

async function post(url: string, init: { headers?: Record<string, string>; body?: unknown }): Promise<TokenResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...init.headers },
      body: JSON.stringify(init.body ?? {}),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, status: 0 };
  }
  if (!res.ok) {
    const retry = Number(res.headers.get('Retry-After'));
    return { ok: false, status: res.status, ...(Number.isFinite(retry) && retry > 0 ? { retryAfterSec: Math.ceil(retry) } : {}) };
  }
  const body: unknown = await res.json().catch(() => undefined);
  return isTokenResponse(body) ? { ok: true, value: body } : { ok: false, status: 502 };
}

/** A new token from the token service; with `resume`, for that conversation if still possible. */
export function requestToken(tokenUrl: string, resume?: { conversationId: string; token: string }): Promise<TokenResult> {
  return post(tokenUrl, resume ? { body: { conversationId: resume.conversationId, token: resume.token } } : {});
}

/** Direct Line's own refresh: works only while the token has not expired. */
export function refreshToken(directLineDomain: string, token: string): Promise<TokenResult> {
  return post(`${directLineDomain}/tokens/refresh`, { headers: { Authorization: `Bearer ${token}` } });
}
