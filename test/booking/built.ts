import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/paths';

/**
 * Multi-process tests run the compiled code (dist/), as production does. CI builds before the
 * tests; during development a stale or missing build of the booking code is rebuilt here.
 */
export function ensureBuilt(): void {
  const root = projectRoot();
  const built = path.join(root, 'dist', 'src', 'index.js');
  const sources = ['src/booking', 'src/channels', 'dialogs'].flatMap((d) =>
    readdirSync(path.join(root, d)).filter((f) => f.endsWith('.ts')).map((f) => path.join(root, d, f)),
  );
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs), statSync(path.join(root, 'src/app.ts')).mtimeMs);
  if (existsSync(built) && statSync(path.join(root, 'dist/src/booking/service.js')).mtimeMs >= newest) return;
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'pipe' });
  } catch {
    // Type errors elsewhere in the tree do not stop tsc from emitting; a missing file would.
  }
  if (!existsSync(built)) throw new Error('build failed: dist/src/index.js missing');
}
