/**
 * The server setup the app tests share, as vitest fixtures (test.extend) instead of a
 * beforeAll/afterAll pair copied into every file: the real app in-process on a random loopback
 * port and, for browser tests, Debian's Chromium. Both are file-scoped: started on first use by a
 * test of the file, closed after its last test.
 */
/* eslint-disable no-empty-pattern -- vitest reads a fixture's dependencies from its first parameter's pattern; these have none */
import { test } from 'vitest';
import { launchBrowser } from './browser';
import { startTestServer } from './server';

export function withServer(env: Record<string, string> = {}, opts: { now?: () => number } = {}) {
  return test.extend('server', { scope: 'file' }, async ({}, { onCleanup }) => {
    const server = await startTestServer(env, opts);
    onCleanup(() => server.close());
    return server;
  });
}

export function withServerAndBrowser(env: Record<string, string> = {}, opts: { now?: () => number } = {}) {
  return withServer(env, opts).extend('browser', { scope: 'file' }, async ({}, { onCleanup }) => {
    const browser = await launchBrowser();
    onCleanup(() => browser.close());
    return browser;
  });
}
