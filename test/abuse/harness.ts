import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { spawnServer, type SpawnedServer } from '../helpers/server';

/**
 * The abuse suite's target: the built server as its own process on loopback (as in production),
 * with a throwaway SQLite file and outbox directory, so its descriptors and memory can be read
 * from /proc and its tables counted from outside.
 */
export interface Target {
  url: string;
  pid: number;
  server: SpawnedServer;
  dataDir: string;
  secrets: { directLine: string; staff: string };
  /** Open file descriptors of the server process. */
  fds(): number;
  /** Resident memory of the server process in MB. */
  rssMb(): number;
  /** Row counts of every table (read-only, beside the running server). */
  rowCounts(): Record<string, number>;
  /** A read-only query beside the running server. */
  query<T>(sql: string, params?: unknown[]): T[];
  stop(): Promise<void>;
}

export async function startTarget(env: Record<string, string> = {}): Promise<Target> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kdlz-abuse-'));
  const secrets = { directLine: randomBytes(32).toString('base64url'), staff: randomBytes(32).toString('base64url') };
  const sqliteFile = path.join(dataDir, 'kdlz.db');
  const server = await spawnServer({
    SQLITE_FILE: sqliteFile,
    OUTBOX_DIR: path.join(dataDir, 'outbox'),
    DIRECT_LINE_SECRET: secrets.directLine,
    STAFF_API_TOKEN: secrets.staff,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const pid = server.proc.pid!;
  return {
    url: server.url,
    pid,
    server,
    dataDir,
    secrets,
    fds: () => readdirSync(`/proc/${pid}/fd`).length,
    rssMb: () => {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : 0;
    },
    query: <T>(sql: string, params: unknown[] = []) => {
      const db = new Database(sqliteFile, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    rowCounts: () => {
      const db = new Database(sqliteFile, { readonly: true, fileMustExist: true });
      try {
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
        return Object.fromEntries(tables.map((t) => [t.name, (db.prepare(`SELECT COUNT(*) AS n FROM ${t.name}`).get() as { n: number }).n]));
      } finally {
        db.close();
      }
    },
    async stop() {
      await server.stop();
    },
  };
}

/**
 * Polls /healthz every 100 ms from a separate process (so this test process's own work does not
 * count as server latency) and samples the server's RSS here, while attacks run: the slowest
 * answer and the largest RSS seen. A health check that does not answer within 2 s counts as 2,000 ms.
 */
export async function watchHealth(target: Target): Promise<{ stop(): Promise<{ worstMs: number; peakRssMb: number; checks: number }> }> {
  const script = `
    let stop = false; let worst = 0; let checks = 0;
    process.on('message', () => { stop = true; });
    (async () => {
      // The first fetch of a process pays for its own start-up; it is not the server's latency.
      try { const r = await fetch(${JSON.stringify(target.url + '/healthz')}); await r.arrayBuffer(); } catch {}
      process.send({ ready: true });
      while (!stop) {
        const t0 = performance.now();
        try { const r = await fetch(${JSON.stringify(target.url + '/healthz')}, { signal: AbortSignal.timeout(2000) }); await r.arrayBuffer(); } catch {}
        worst = Math.max(worst, performance.now() - t0); checks++;
        await new Promise((r) => setTimeout(r, 100));
      }
      process.send({ worst, checks }, () => process.exit(0));
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((resolve) => child.once('message', resolve));
  let peakRssMb = 0;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, target.rssMb())), 100);
  return {
    async stop() {
      clearInterval(sampler);
      peakRssMb = Math.max(peakRssMb, target.rssMb());
      const result = new Promise<{ worst: number; checks: number }>((resolve) => child.once('message', (m) => resolve(m as { worst: number; checks: number })));
      child.send('stop');
      const { worst, checks } = await result;
      return { worstMs: worst, peakRssMb, checks };
    },
  };
}

/** Waits until the server's descriptors are back at (or below) `max`; returns the last count. */
export async function settleFds(target: Target, max: number, timeoutMs = 15_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  let n = target.fds();
  while (n > max && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    n = target.fds();
  }
  return n;
}

/** One raw HTTP exchange on its own connection (so nothing is pooled): status and whether the server closed. */
export function rawRequest(url: string, request: string, waitMs = 3000): Promise<{ status: number; text: string; closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let text = '';
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text, closedByServer });
    };
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(request);
    setTimeout(() => finish(false), waitMs);
  });
}

/** Runs `fn` for 0..n-1 with at most `concurrency` at a time. */
export async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, concurrency) }, async () => {
      for (let i = next++; i < n; i = next++) out[i] = await fn(i);
    }),
  );
  return out;
}

/** A Direct Line conversation on the target (started with the secret, as a portal backend would). */
export async function dlConversation(target: Target): Promise<{ id: string; token: string; streamUrl: string; post(body: unknown): Promise<number>; page(watermark: string): Promise<{ status: number; bytes: number; watermark: string; count: number }> }> {
  const r = await fetch(`${target.url}/v3/directline/conversations`, { method: 'POST', headers: { authorization: `Bearer ${target.secrets.directLine}` } });
  const { conversationId: id, token, streamUrl } = (await r.json()) as { conversationId: string; token: string; streamUrl: string };
  const auth = { authorization: `Bearer ${token}` };
  return {
    id,
    token,
    streamUrl,
    async post(body) {
      const res = await fetch(`${target.url}/v3/directline/conversations/${id}/activities`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await res.arrayBuffer();
      return res.status;
    },
    async page(watermark) {
      const res = await fetch(`${target.url}/v3/directline/conversations/${id}/activities?watermark=${watermark}`, { headers: auth });
      const text = await res.text();
      const body = res.status === 200 ? (JSON.parse(text) as { activities: unknown[]; watermark: string }) : { activities: [], watermark };
      return { status: res.status, bytes: Buffer.byteLength(text), watermark: body.watermark, count: body.activities.length };
    },
  };
}
