/**
 * OAuth 2.0 authorization code flow with PKCE (RFC 7636) for Entra ID, in the browser: no client
 * secret, the code verifier stays in sessionStorage of this tab until the token is fetched.
 */
export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** 32 random bytes → 43 characters, as RFC 7636 recommends. */
export function randomVerifier(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** S256 challenge: BASE64URL(SHA-256(ASCII(verifier))). */
export async function challengeFor(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export interface OidcConfig {
  clientId: string;
  authority: string;
  scope: string;
}

export function authorizeUrl(cfg: OidcConfig, redirectUri: string, challenge: string, state: string): string {
  const q = new URLSearchParams({
    client_id: cfg.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    response_mode: 'query',
    scope: cfg.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${cfg.authority}/oauth2/v2.0/authorize?${q.toString()}`;
}

/** Redeems the code at the token endpoint (SPA registration: CORS allowed, no secret). */
export async function redeemCode(cfg: OidcConfig, redirectUri: string, code: string, verifier: string): Promise<string> {
  const body = new URLSearchParams({ client_id: cfg.clientId, grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, scope: cfg.scope });
  const res = await fetch(`${cfg.authority}/oauth2/v2.0/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  const json = (await res.json().catch(() => ({}))) as { access_token?: string };
  if (!res.ok || !json.access_token) throw new Error('token');
  return json.access_token;
}
