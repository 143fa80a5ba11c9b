/**
 * A server with only the web routes (pages, widget, Web Chat bundle) for tests that need no bot:
 * the real createServer and registerWebRoutes, on a random loopback port.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { createServer } from '../../src/server';
import { registerWebRoutes } from '../../src/channels/web-routes';

export async function startWebOnlyServer(env: Record<string, string> = {}): Promise<{ url: string; close(): Promise<void> }> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const server = createServer(createLogger({ level: 'silent' }));
  registerWebRoutes(server, { config });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
