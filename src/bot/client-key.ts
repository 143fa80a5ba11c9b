import type { TurnContext } from 'botbuilder';

/**
 * Turn-state key of the client address (IPv6: its /64) a channel saw the activity come from.
 * Only channels that face the user's browser set it (self-hosted Direct Line); in Teams the
 * request comes from Microsoft's service, so there is none. Never stored, never logged.
 */
export const CLIENT_KEY = Symbol.for('kdlz.clientKey');

export function clientKeyOf(context: TurnContext): string | undefined {
  const v = context.turnState.get(CLIENT_KEY) as unknown;
  return typeof v === 'string' ? v : undefined;
}
