import type { HandoffStatus } from './types';

/**
 * The status machine of a handoff, in one table:
 *
 *   waiting ──take──► active ──close/leave──► closed
 *      │  └──close/leave────────────────────►  ▲
 *      └──timeout──► callback ──callbackDone/close──┘
 *
 * A callback can be taken (someone owns the call) without leaving "callback".
 */
export type HandoffEvent = 'take' | 'timeout' | 'close' | 'leave' | 'callbackDone';

const TRANSITIONS: Record<HandoffStatus, Partial<Record<HandoffEvent, HandoffStatus>>> = {
  waiting: { take: 'active', timeout: 'callback', close: 'closed', leave: 'closed' },
  active: { close: 'closed', leave: 'closed' },
  callback: { take: 'callback', callbackDone: 'closed', close: 'closed' },
  closed: {},
};

/** The status after `event`, or undefined when the event is not allowed in `from`. */
export function nextStatus(from: HandoffStatus, event: HandoffEvent): HandoffStatus | undefined {
  return TRANSITIONS[from][event];
}

/** Statuses in which `event` is allowed (for conditional UPDATEs). */
export function statusesAllowing(event: HandoffEvent): HandoffStatus[] {
  return (Object.keys(TRANSITIONS) as HandoffStatus[]).filter((s) => TRANSITIONS[s][event] !== undefined);
}

/** While live, the user's messages go to the team instead of the bot. */
export function isLive(status: HandoffStatus): boolean {
  return status === 'waiting' || status === 'active';
}

/** Open requests are the staff's to-do list. */
export function isOpen(status: HandoffStatus): boolean {
  return status !== 'closed';
}
