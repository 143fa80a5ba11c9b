/**
 * Browser scripts written in TypeScript, bundled with esbuild on first use and kept in memory:
 * a fresh clone serves them without a separate build step. Generic over the entry file so any
 * page script can use it (the widget does; the Teams tab could too).
 */
import path from 'node:path';
import { projectRoot } from '../../paths';

export const widgetSourceDir = (): string => path.join(projectRoot(), 'src', 'web', 'widget');

const bundles = new Map<string, Promise<string>>();

/** The minified IIFE bundle of one entry file; a failed build is retried on the next call. */
export function bundleBrowserEntry(entry: string, target = 'es2019'): Promise<string> {
  const key = `${entry}@${target}`;
  let p = bundles.get(key);
  if (!p) {
    p = import('esbuild').then(async (esbuild) => {
      const out = await esbuild.build({ entryPoints: [entry], bundle: true, write: false, format: 'iife', platform: 'browser', target: [target], minify: true, legalComments: 'none', logLevel: 'silent' });
      return out.outputFiles[0].text;
    });
    bundles.set(key, p);
    p.catch(() => bundles.delete(key));
  }
  return p;
}

/** widget.js. ES2019 keeps the older browsers still found in town halls working. */
export const bundleWidget = (): Promise<string> => bundleBrowserEntry(path.join(widgetSourceDir(), 'browser', 'widget.ts'));
