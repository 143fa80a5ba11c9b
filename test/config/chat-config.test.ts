import { describe, expect, it } from 'vitest';
import { ConfigError, loadChatConfig } from '../../src/config';

describe('npm run chat: which server it talks to', () => {
  it.each([
    [{}, 'http://localhost:3978'],
    [{ PORT: '4100' }, 'http://localhost:4100'],
    [{ PORT: '4100', KDLZ_URL: 'https://bot.example.de/' }, 'https://bot.example.de'],
    [{ KDLZ_URL: 'http://127.0.0.1:5000' }, 'http://127.0.0.1:5000'],
  ])('%o → %s', (env, url) => {
    expect(loadChatConfig(env).url).toBe(url);
  });

  it('names the variable when PORT is not a port', () => {
    expect(() => loadChatConfig({ PORT: 'achtzig' })).toThrow(ConfigError);
    expect(() => loadChatConfig({ PORT: 'achtzig' })).toThrow(/PORT/);
  });
});
