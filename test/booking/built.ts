import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/paths';

/**
 * Multi-process tests run the compiled code (dist/), as production does. CI builds before the
 * tests; during development a stale or missing build is rebuilt here, under a lock so that two
 * test files never rebuild at once (or while the other's server is reading dist/).
 */
export function ensureBuilt(): void {
  const root = projectRoot();
  const script = [
    'if [ -f dist/src/index.js ] && [ -f dist/src/booking/service.js ] &&',
    '   [ -z "$(find src dialogs -name \'*.ts\' -newer dist/src/booking/service.js | head -1)" ]; then exit 0; fi',
    // Type errors elsewhere in the tree do not stop tsc from emitting; a missing file would.
    `"${process.execPath}" node_modules/typescript/bin/tsc -p tsconfig.json >/dev/null 2>&1 || true`,
    'touch dist/src/booking/service.js',
  ].join('\n');
  execFileSync('flock', ['/tmp/kdlz-booking-build.lock', 'sh', '-c', script], { cwd: root, stdio: 'pipe', timeout: 170_000 });
  if (!existsSync(path.join(root, 'dist', 'src', 'index.js'))) throw new Error('build failed: dist/src/index.js missing');
}
