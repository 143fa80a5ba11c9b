/**
 * A stand-in for Microsoft Entra ID in tests: keys generated here, the public key set served on
 * loopback, and tokens shaped like Teams SSO tokens.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
// Type-only import plus dynamic import: bench/ (compiled as CommonJS) reuses this file, and jose is ESM-only.
import type { CryptoKey, JWTPayload } from 'jose' with { 'resolution-mode': 'import' };

export const TENANT = '11111111-2222-3333-4444-555555555555';
export const CLIENT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
export const USER_OID = '99999999-8888-7777-6666-555555555555';

export interface TestIssuer {
  jwksUri: string;
  /** How often the key set was fetched. */
  jwksRequests(): number;
  /** Teams SSO-like claims valid at `now`, with overrides. */
  claims(overrides?: JWTPayload): JWTPayload;
  sign(payload: JWTPayload, opts?: { stranger?: boolean; kid?: string }): Promise<string>;
  stop(): Promise<void>;
}

/** Claims of a Teams SSO (v2) token for the test user, valid at `now`. */
export function ssoClaims(now: Date, overrides: JWTPayload = {}): JWTPayload {
  const nowSec = Math.floor(now.getTime() / 1000);
  return {
    iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    aud: CLIENT_ID,
    tid: TENANT,
    oid: USER_OID,
    name: 'Erika Mustermann',
    preferred_username: 'erika@buseck.example',
    iat: nowSec - 60,
    nbf: nowSec - 60,
    exp: nowSec + 3600,
    ...overrides,
  };
}

export async function startTestIssuer(now: Date): Promise<TestIssuer> {
  const { exportJWK, generateKeyPair, SignJWT } = await import('jose');
  const pair = await generateKeyPair('RS256', { extractable: true });
  const stranger: CryptoKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    jwksUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`,
    jwksRequests: () => requests,
    claims: (overrides = {}) => ssoClaims(now, overrides),
    sign: (payload, opts = {}) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'test-key', typ: 'JWT' })
        .sign(opts.stranger ? stranger : pair.privateKey),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
