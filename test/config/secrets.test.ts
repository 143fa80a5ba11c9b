import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretWeakness } from '../../src/config';

const strong = () => randomBytes(32).toString('base64url');
const production = (extra: Record<string, string>) => ({
  NODE_ENV: 'production',
  MicrosoftAppId: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
  MicrosoftAppPassword: 'pw',
  SQLITE_FILE: '/tmp/x.db',
  DIRECT_LINE_SECRET: strong(),
  ...extra,
});

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe('secrets in production', () => {
  it('a strong set starts', () => {
    expect(problems(production({ STAFF_API_TOKEN: strong(), BOOKING_WEBHOOK_URL: 'https://x.example/hook', BOOKING_WEBHOOK_SECRET: strong() }))).toEqual([]);
  });

  it.each([
    ['DIRECT_LINE_SECRET', 'x', /zu kurz \(1 Zeichen/],
    ['DIRECT_LINE_SECRET', 'a'.repeat(40), /wiederholt|verschiedene/],
    ['STAFF_API_TOKEN', 'Sommer2024!Sommer2024!Sommer2024!', /wiederholt/],
    ['STAFF_API_TOKEN', 'abcdefghijklmnopqrstuvwxyz0123456789', /fortlaufend/],
    ['BOOKING_WEBHOOK_SECRET', 'geheim', /zu kurz/],
  ])('%s=%s is refused and named', (name, value, reason) => {
    const env = production({ [name]: value, ...(name === 'BOOKING_WEBHOOK_SECRET' ? { BOOKING_WEBHOOK_URL: 'https://x.example/hook' } : {}) });
    const list = problems(env);
    expect(list).toHaveLength(1);
    expect(list[0].startsWith(`${name}: in production zu schwach`)).toBe(true);
    expect(list[0]).toMatch(reason);
    // The message never echoes the secret itself.
    if (value.length > 3) expect(list[0]).not.toContain(value);
  });

  it('outside production a weak secret still starts (local development)', () => {
    expect(problems({ NODE_ENV: 'development', DIRECT_LINE_SECRET: 'x', STAFF_API_TOKEN: 'y' })).toEqual([]);
  });

  it('random secrets of the recommended kinds always pass', () => {
    for (let i = 0; i < 2000; i++) {
      expect(secretWeakness(randomBytes(16).toString('hex'))).toBeUndefined();
      expect(secretWeakness(randomBytes(32).toString('base64'))).toBeUndefined();
    }
  });
});
