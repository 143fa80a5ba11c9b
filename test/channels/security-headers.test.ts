import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, frameAncestors, securityHeaders, webSocketSources } from '../../src/channels/security-headers';

const directives = (csp: string) => Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('content security policy', () => {
  const csp = directives(contentSecurityPolicy({ FRAME_ANCESTORS: "'self'", PUBLIC_BASE_URL: undefined }, 'localhost:3978'));

  it('allows scripts only from this server: no inline script, no eval', () => {
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
  });

  it('allows the Direct Line WebSocket of the host the page came from', () => {
    expect(csp['connect-src']).toEqual(["'self'", 'ws://localhost:3978', 'wss://localhost:3978']);
  });

  it('takes the stream origin from PUBLIC_BASE_URL when set, whatever the Host header says', () => {
    expect(webSocketSources({ FRAME_ANCESTORS: "'self'", PUBLIC_BASE_URL: 'https://bot.example.de' }, 'evil.example')).toEqual(['wss://bot.example.de']);
  });

  it('does not echo a forged Host header into the policy', () => {
    const forged = contentSecurityPolicy({ FRAME_ANCESTORS: "'self'", PUBLIC_BASE_URL: undefined }, "x; script-src 'unsafe-inline'");
    expect(forged.match(/script-src/g)).toHaveLength(1);
    expect(directives(forged)['script-src']).toEqual(["'self'"]);
    expect(directives(forged)['connect-src']).toEqual(["'self'"]);
  });
});

describe('frame-ancestors', () => {
  it.each([
    ["'self'", "'self'"],
    ["'none'", "'none'"],
    ["'self'  https://portal.hessen.example", "'self' https://portal.hessen.example"],
    ["https://a.example; script-src *", "'self'"],
    ['', "'self'"],
  ])('FRAME_ANCESTORS=%j gives %j', (value, expected) => {
    expect(frameAncestors(value)).toBe(expected);
  });
});

describe('other headers', () => {
  it('sets nosniff, the referrer policy and a permissions policy', () => {
    const h = securityHeaders({ FRAME_ANCESTORS: "'self'", PUBLIC_BASE_URL: undefined }, 'localhost');
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(h['Permissions-Policy']).toMatch(/camera=\(\)/);
    expect(h['Strict-Transport-Security']).toBeUndefined();
  });

  it('adds HSTS only when the service is published over https', () => {
    expect(securityHeaders({ FRAME_ANCESTORS: "'self'", PUBLIC_BASE_URL: 'https://bot.example.de' })['Strict-Transport-Security']).toBe('max-age=31536000');
  });
});
