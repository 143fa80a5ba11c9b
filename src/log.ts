import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';

/** The correlation id of the turn or request being handled, added to every log line within it. */
const context = new AsyncLocalStorage<{ correlationId: string }>();

export type Logger = pino.Logger;

export function createLogger(opts: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      base: { service: 'kdlz-bot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => {
        const c = context.getStore();
        return c ? { correlationId: c.correlationId } : {};
      },
      // Defence in depth: even a careless log call must not leak secrets or contact data.
      redact: {
        paths: ['*.authorization', '*.headers.authorization', '*.password', '*.secret', '*.token', '*.email', '*.phone'],
        censor: '[redacted]',
      },
    },
    opts.destination,
  );
}

export function withCorrelation<T>(correlationId: string, fn: () => T): T {
  return context.run({ correlationId }, fn);
}

export function currentCorrelationId(): string | undefined {
  return context.getStore()?.correlationId;
}
