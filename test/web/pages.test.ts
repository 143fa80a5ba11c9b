import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webChatBundlePath } from '../../src/channels/web-routes';
import { startWebOnlyServer } from './web-server';

const text = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, headers: r.headers, body: await r.text() };
};

describe('portal pages with CONTACT_EMAIL unset', () => {
  let srv: Awaited<ReturnType<typeof startWebOnlyServer>>;
  beforeAll(async () => {
    srv = await startWebOnlyServer({ FRAME_ANCESTORS: "'self' https://portal.hessen.example", DIRECT_LINE_CONVERSATION_TTL_HOURS: '12' });
  });
  afterAll(() => srv.close());

  it('serves the demo page in German with the widget embedded by one script tag and no inline script', async () => {
    const r = await text(srv.url + '/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('<html lang="de">');
    const scripts = r.body.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/src="\/widget\.js"/);
    expect(scripts[0]).toMatch(/data-token-url="\/api\/webchat\/token"/);
    expect(scripts[0]).toMatch(/data-primary-color="#00508c"/);
    expect(r.body).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
    expect(r.body).not.toMatch(/style="/);
    expect(r.body.match(/<h1[ >]/g)).toHaveLength(1);
  });

  it('puts the security headers on pages, assets and error responses', async () => {
    for (const path of ['/', '/datenschutz', '/widget.js', '/does-not-exist']) {
      const r = await fetch(srv.url + path);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self';");
      expect(csp, path).toContain("frame-ancestors 'self' https://portal.hessen.example");
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
      expect(r.headers.get('permissions-policy'), path).toContain('camera=()');
    }
  });

  it('says plainly that the operator must set CONTACT_EMAIL instead of showing an address', async () => {
    for (const path of ['/barrierefreiheit', '/datenschutz']) {
      const r = await text(srv.url + path);
      expect(r.status).toBe(200);
      expect(r.body).toContain('Kontaktadresse fehlt');
      expect(r.body).toContain('CONTACT_EMAIL');
      expect(r.body).not.toMatch(/mailto:/);
    }
    expect((await text(srv.url + '/barrierefreiheit')).body).toContain('<h1>Erklärung zur Barrierefreiheit</h1>');
  });

  it('states the retention the service is configured with', async () => {
    const r = await text(srv.url + '/datenschutz');
    expect(r.body).toContain('nach 12 Stunden gelöscht');
    expect(r.body).toContain('nach 90 Tagen gelöscht');
    expect(r.body).toContain('kein Sprachmodell eingeschaltet');
  });

  it('serves widget.js bundled from TypeScript, gzipped on request, revalidated by ETag', async () => {
    const plain = await fetch(srv.url + '/widget.js', { headers: { 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const js = await plain.text();
    expect(js).toContain('Chat mit dem KDLZ-Bot');
    expect(js).not.toMatch(/^import |require\(/m);
    const etag = plain.headers.get('etag')!;
    const again = await fetch(srv.url + '/widget.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const zipped = await rawGet(srv.url + '/widget.js', { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(js);
  });

  it('serves the official Web Chat bundle from node_modules, not a CDN', async () => {
    const r = await fetch(srv.url + '/webchat/webchat.js', { headers: { 'accept-encoding': 'identity' } });
    expect(r.status).toBe(200);
    const served = Buffer.from(await r.arrayBuffer());
    const file = readFileSync(webChatBundlePath());
    expect(createHash('sha256').update(served).digest('hex')).toBe(createHash('sha256').update(file).digest('hex'));
    expect(r.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });
});

/** A GET without fetch's automatic decompression, to see the bytes on the wire. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('portal pages with CONTACT_EMAIL and PRIVACY_URL set', () => {
  let srv: Awaited<ReturnType<typeof startWebOnlyServer>>;
  beforeAll(async () => {
    srv = await startWebOnlyServer({ CONTACT_EMAIL: 'barrierefreiheit@kommune.example', PRIVACY_URL: 'https://portal.example/datenschutz', LLM_PROVIDER: 'ollama', LLM_MODEL: 'x' });
  });
  afterAll(() => srv.close());

  it('shows the configured feedback contact on the accessibility statement', async () => {
    const r = await text(srv.url + '/barrierefreiheit');
    expect(r.body).toContain('<a href="mailto:barrierefreiheit@kommune.example">barrierefreiheit@kommune.example</a>');
    expect(r.body).not.toContain('Kontaktadresse fehlt');
  });

  it('points the widget and the notice at the operator privacy page and names the language model', async () => {
    expect((await text(srv.url + '/')).body).toContain('data-privacy-url="https://portal.example/datenschutz"');
    const privacy = (await text(srv.url + '/datenschutz')).body;
    expect(privacy).toContain('href="https://portal.example/datenschutz"');
    expect(privacy).toContain('Ollama');
  });
});

describe('configuration cannot inject markup', () => {
  it('refuses a CONTACT_EMAIL that carries HTML', async () => {
    const srv = await startWebOnlyServer({ CONTACT_EMAIL: '"><script>alert(1)</script>@x.de' });
    try {
      const r = await text(srv.url + '/barrierefreiheit');
      expect(r.body).not.toContain('<script>alert');
      expect(r.body).toContain('Kontaktadresse fehlt');
    } finally {
      await srv.close();
    }
  });
});
