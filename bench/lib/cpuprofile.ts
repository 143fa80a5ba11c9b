import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  label: string;
  ms: number;
  share: number;
}

/** Where a script lives, shortened: a package name, or a project path. */
export function origin(url: string, root: string): string {
  if (!url) return '(native/V8)';
  const file = url.replace(/^file:\/\//, '');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (nm) return nm[1];
  if (file.startsWith('node:') || !file.startsWith('/')) return 'node core';
  return path.relative(root, file);
}

/**
 * Self time per function and per origin (package or project file) from a `node --cpu-prof`
 * profile, as shares of the busy time ((idle) left out; (program) and GC kept).
 */
export function summariseProfile(file: string, root: string, top = 25): { total: number; functions: SelfTime[]; origins: SelfTime[] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const fn = new Map<string, number>();
  const org = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const cf = n.callFrame;
    // Idle time says nothing about where the work goes; shares are of busy time.
    if (cf.functionName === '(idle)') continue;
    const where = origin(cf.url, root);
    const name = cf.functionName || '(anonymous)';
    const label = cf.url ? `${name} ${where}:${cf.lineNumber + 1}` : name;
    fn.set(label, (fn.get(label) ?? 0) + us);
    const o = cf.url ? where.replace(/^(dist\/)?(src|dialogs)\/.*$/, (m) => m.replace(/\.js$/, '')) : name;
    org.set(o, (org.get(o) ?? 0) + us);
    total += us;
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([label, us]) => ({ label, ms: us / 1000, share: us / total }));
  return { total: total / 1000, functions: rank(fn), origins: rank(org) };
}
