import { describe, expect, it } from 'vitest';
import { authorizeUrl, challengeFor, randomVerifier } from '../../src/web/staff/browser/pkce';

describe('staff sign-in with Entra ID: PKCE (RFC 7636)', () => {
  it('derives the S256 challenge of the RFC 7636 appendix B example', async () => {
    expect(await challengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes 43-character URL-safe verifiers that differ', () => {
    const a = randomVerifier();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomVerifier()).not.toBe(a);
  });

  it('asks Entra for a code with the challenge, S256 and the state', () => {
    const u = new URL(authorizeUrl({ clientId: 'c1', authority: 'https://login.microsoftonline.com/t1', scope: 'api://c1/access_as_user openid' }, 'https://bot.example/staff', 'CH', 'ST'));
    expect(u.origin + u.pathname).toBe('https://login.microsoftonline.com/t1/oauth2/v2.0/authorize');
    expect(Object.fromEntries(u.searchParams)).toMatchObject({ client_id: 'c1', response_type: 'code', redirect_uri: 'https://bot.example/staff', code_challenge: 'CH', code_challenge_method: 'S256', state: 'ST' });
  });
});
