import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths';

/** `npm run booking:check`, bundled exactly as the npm script bundles it, against the shipped booking.yaml. */
let entry = '';
beforeAll(async () => {
  // Inside the project (the script finds knowledge/ from its own location), one file per run.
  mkdirSync(path.join(projectRoot(), 'dist', 'scripts-bundled'), { recursive: true });
  entry = path.join(projectRoot(), 'dist', 'scripts-bundled', `booking-check-test-${process.pid}.js`);
  await build({ entryPoints: [path.join(projectRoot(), 'scripts', 'booking-check.ts')], bundle: true, platform: 'node', packages: 'external', outfile: entry, logLevel: 'warning' });
});

afterAll(() => rmSync(entry, { force: true }));

function run(env: Record<string, string>, args: string[] = []) {
  const r = spawnSync(process.execPath, [entry, ...args], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH, NODE_PATH: path.join(projectRoot(), 'node_modules'), ...env },
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('npm run booking:check', () => {
  it('outside production: the example calendar passes with notes (exit 0)', () => {
    const r = run({ NODE_ENV: 'development' });
    expect(r.out).toMatch(/Hinweis: advisors\.beratung-nord: Platzhalter/);
    expect(r.code).toBe(0);
  });

  it('in production mode it fails on the placeholders (exit 1), by NODE_ENV or --production', () => {
    for (const r of [run({ NODE_ENV: 'production' }), run({}, ['--production'])]) {
      expect(r.out).toMatch(/Fehler: advisors\.beratung-nord: Platzhalter .*in Produktion ist die Buchung damit aus/);
      expect(r.out).toMatch(/In Produktion bucht der Bot mit dieser Datei nicht/);
      expect(r.code).toBe(1);
    }
  });
});
