import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET } from './directline-harness';
import { startTestServer, type TestServer } from '../helpers/server';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ DIRECT_LINE_SECRET: SECRET });
});
afterAll(async () => {
  await srv?.close();
});

/** Sends a raw upgrade request; resolves with what came back and whether the server closed the connection. */
function rawUpgrade(url: string, path: string, waitMs = 2000): Promise<{ response: string; closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let response = '';
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ response, closedByServer });
    };
    socket.on('data', (d) => (response += d.toString('latin1')));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
    setTimeout(() => finish(false), waitMs);
  });
}

describe('HTTP upgrades outside the Direct Line stream', () => {
  it.each(['/x', '/', '/api/messages', '/v3/directline', '/v3/directlinex/conversations/a/stream'])('%s gets a 404 and the connection is closed', async (path) => {
    const r = await rawUpgrade(srv.url, path);
    expect(r.closedByServer).toBe(true);
    expect(r.response).toMatch(/^HTTP\/1\.1 404 /);
  });

  it('an unknown stream path under /v3/directline/ is refused, not left hanging', async () => {
    const r = await rawUpgrade(srv.url, '/v3/directline/conversations/nope/stream');
    expect(r.closedByServer).toBe(true);
    expect(r.response).toMatch(/^HTTP\/1\.1 401 /);
  });
});
