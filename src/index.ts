import { existsSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './log';
import { projectRoot } from './paths';

/** How far V8 lets the old generation grow past the live heap before the next full GC, in %. */
const HEAP_GROWING_PERCENT = 50;

/**
 * Under load every turn allocates framework objects that outlive a young-generation GC. V8's
 * default growth rule then lets the old generation swell to about four times the live heap
 * (~75 MB live, 400+ MB resident) before collecting. Growing by half the live heap keeps peak
 * RSS near 230 MB at the same throughput (docs/performance.md). A command-line setting wins.
 */
function limitHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  if (process.execArgv.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'))) return;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/** Starts the service; SIGTERM/SIGINT stop it gracefully. */
async function main(): Promise<void> {
  // A local .env is a convenience for development; variables already set in the environment win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`KDLZ-Bot startet nicht. ${e.message}\nSiehe .env.example.\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger({ level: config.LOG_LEVEL });
  limitHeapGrowth();
  if (!config.MicrosoftAppId) {
    logger.warn(
      '*** LOKALER ENTWICKLUNGSMODUS: keine MicrosoftAppId gesetzt – /api/messages prüft KEINE Kanal-Token. Nicht im Internet betreiben. ***',
    );
  }
  const app = await createApp(config, { logger });
  const url = await app.listen();
  logger.info({ url }, `Web-Chat: ${url}/`);
  if (!config.SMTP_URL) {
    // The booking confirmation says "Die Bestätigung geht an …": without SMTP it only lands in a folder.
    const outbox = path.resolve(projectRoot(), config.OUTBOX_DIR);
    logger.warn({ outbox }, `E-Mails werden nicht versendet, sondern nach ${outbox} geschrieben (.eml). Zum Versenden SMTP_URL setzen.`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const hard = setTimeout(() => process.exit(1), 15_000);
    hard.unref();
    await app.close().catch((err) => logger.error({ err }, 'shutdown failed'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

void main().catch((err) => {
  process.stderr.write(`KDLZ-Bot konnte nicht starten: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
