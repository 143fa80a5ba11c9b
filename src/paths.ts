import { existsSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/**
 * The directory holding package.json. Code runs from TypeScript sources (tests) and from
 * dist/ (compiled), so a fixed number of '..' would be wrong in one of them.
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  cached = dir;
  return dir;
}

export const knowledgeDir = (): string => path.join(projectRoot(), 'knowledge');
