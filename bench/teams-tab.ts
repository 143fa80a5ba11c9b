/**
 * Figures for the Teams tab (not a test: prints, never fails on time):
 * - first and warm request of /tab/tab.js (esbuild bundles teams-js on first use),
 * - Entra token validations per second with the key set cached,
 * - GET /api/tab/appointments under load with a valid SSO token (autocannon).
 * Run: npm run bench:teams-tab   (BENCH_SECONDS=10 for a longer load phase)
 */
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { createEntraTokenValidator } from '../src/channels/entra-token';
import { registerTabRoutes } from '../src/channels/tab-routes';
import { CLIENT_ID, startTestIssuer, TENANT } from '../test/channels/test-issuer';

// autocannon ships no types; only the fields printed below are used.
const autocannon = require('autocannon') as (opts: object) => Promise<{
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}>;

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  const issuer = await startTestIssuer(new Date());
  const validator = createEntraTokenValidator({ clientId: CLIENT_ID, tenantId: TENANT, jwksUri: issuer.jwksUri });
  const server = restify.createServer();
  registerTabRoutes(server, {
    validator,
    listAppointmentsForUser: async () => [
      { reference: 'KDLZ-7Q4M', start: '2026-12-02T09:00:00Z', type: 'Vor-Ort-Beratung', status: 'confirmed' },
    ],
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  for (const label of ['first (bundling)', 'warm (cached)']) {
    const t0 = performance.now();
    const res = await fetch(`${base}/tab/tab.js`);
    const size = (await res.text()).length;
    console.log(`GET /tab/tab.js ${label}: ${(performance.now() - t0).toFixed(1)} ms, ${(size / 1024).toFixed(1)} KiB`);
  }

  const token = await issuer.sign(issuer.claims());
  await validator.validate(token); // fetch the key set once
  const n = 2000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await validator.validate(token);
  const ms = performance.now() - t0;
  console.log(`token validation (RS256, cached JWKS): ${Math.round((n / ms) * 1000)}/s, ${((ms / n) * 1000).toFixed(0)} µs each`);

  const result = await autocannon({
    url: `${base}/api/tab/appointments`,
    headers: { authorization: `Bearer ${token}` },
    connections: 10,
    duration: seconds,
  });
  console.log(
    `GET /api/tab/appointments, 10 connections, ${seconds} s: ${Math.round(result.requests.average)} req/s, ` +
      `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
  );

  await new Promise<void>((resolve) => server.close(() => resolve()));
  await issuer.stop();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
