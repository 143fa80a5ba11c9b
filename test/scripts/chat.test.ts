import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths';
import { startTestServer, type TestServer } from '../helpers/server';

/** The client built exactly as `npm run chat` builds it (esbuild bundle, packages external). */
let entry = '';
/** The bundle lives in a temp dir; NODE_PATH lets it find this project's packages. */
const childEnv = (url: string) => ({ PATH: process.env.PATH, NODE_PATH: path.join(projectRoot(), 'node_modules'), KDLZ_URL: url });

/** Runs the built terminal client, feeding it lines one by one once the previous reply arrived. */
function runChat(url: string, steps: { send: string; waitFor: RegExp }[], startMarker: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [entry], { env: childEnv(url), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let step = -1;
    let waiting: RegExp = startMarker;
    let seenUpTo = 0;
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error('chat client timed out:\n' + out));
    }, 20_000);
    const advance = () => {
      const fresh = out.slice(seenUpTo);
      if (!waiting.test(fresh)) return;
      seenUpTo = out.length;
      step++;
      if (step < steps.length) {
        waiting = steps[step].waitFor;
        proc.stdin!.write(steps[step].send + '\n');
      } else {
        proc.stdin!.write('/ende\n');
      }
    };
    proc.stdout!.on('data', (d) => {
      out += d;
      advance();
    });
    proc.stderr!.on('data', (d) => (out += d));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`chat client exited with ${code}:\n${out}`));
    });
  });
}

describe('npm run chat (terminal client over Direct Line)', () => {
  let s: TestServer;
  beforeAll(async () => {
    entry = path.join(mkdtempSync(path.join(os.tmpdir(), 'kdlz-chat-')), 'chat.js');
    await build({ entryPoints: [path.join(projectRoot(), 'scripts', 'chat.ts')], bundle: true, platform: 'node', packages: 'external', outfile: entry, logLevel: 'warning' });
    s = await startTestServer({});
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows the greeting with numbered choices, picks one by number and answers a question', async () => {
    const out = await runChat(
      s.url,
      [
        // "4" is the fourth choice of the greeting: Hilfe.
        { send: '4', waitFor: /KDLZ-Bot: So kann ich helfen/ },
        { send: 'Was ist das KDLZ CS?', waitFor: /KDLZ-Bot: [\s\S]*Quellen?:[\s\S]*https?:\/\// },
      ],
      /1\) Förderfähigkeit prüfen/,
    );
    expect(out).toMatch(/KDLZ-Bot: Guten Tag!/);
    expect(out).toMatch(/Auf Wiedersehen!/);
    expect(out).not.toMatch(/undefined|\[object Object\]/);
  });

  it('says in German when no server is reachable', async () => {
    const result = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const p = spawn(process.execPath, [entry], { env: childEnv('http://127.0.0.1:9') });
      let err = '';
      p.stderr.on('data', (d) => (err += d));
      p.on('exit', (code) => resolve({ code, err }));
    });
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/nicht erreichbar/);
  });
});
