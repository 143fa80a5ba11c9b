/**
 * A handoff: one user's request to talk to a person of the KDLZ team. It starts as a live
 * request ("waiting") within service hours or as a callback request outside them, becomes
 * "active" when someone takes it, and ends "closed". Times are UTC epoch milliseconds.
 */
export const HANDOFF_STATUSES = ['waiting', 'active', 'callback', 'closed'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

export function isHandoffStatus(v: unknown): v is HandoffStatus {
  return typeof v === 'string' && (HANDOFF_STATUSES as readonly string[]).includes(v);
}

/** Who wrote a transcript line. */
export type TranscriptRole = 'user' | 'bot' | 'staff';

export interface TranscriptEntry {
  from: TranscriptRole;
  text: string;
  /** ISO-8601 UTC. */
  timestamp: string;
  /** Staff lines: the person who wrote it. */
  agentName?: string;
}

export interface Handoff {
  /** Opaque, unguessable id (also the id of the `handoff` entity the user's client sees). */
  id: string;
  status: HandoffStatus;
  kommune: string | null;
  kommuneAgs: string | null;
  topic: string;
  /** The user's channel: 'msteams', 'directline', … */
  channel: string;
  conversationId: string;
  /** The channel's user id (Teams: AAD object id), for "Meine Daten löschen". */
  userKey: string;
  /** Optional contact details the user gave (free text, e.g. name and phone). */
  contact: string | null;
  /** How the bot reaches the user's conversation again (a Bot Framework conversation reference, opaque here). */
  conversationRef: unknown;
  createdMs: number;
  updatedMs: number;
  takenBy: string | null;
  takenMs: number | null;
  closedMs: number | null;
  /** Callback requests: the earliest time the team promised to call back (next opening). */
  callbackFromMs: number | null;
  /** The staff card in Teams, once posted. */
  card: { activityId: string; conversationId: string } | null;
  messageCount: number;
}

/** The request as the dialog collects it. */
export interface HandoffRequest {
  conversationId: string;
  channel: string;
  userKey: string;
  conversationRef: unknown;
  kommune?: string;
  kommuneAgs?: string;
  topic: string;
  contact?: string;
  /** The conversation so far (what the user agreed to pass on), oldest first. */
  transcript: TranscriptEntry[];
}

/** An operation that the request's status does not allow (e.g. a message to a closed request). */
export class HandoffStateError extends Error {
  constructor(
    readonly handoff: Handoff,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'HandoffStateError';
  }
}

export class HandoffNotFound extends Error {
  constructor(readonly id: string) {
    super('Anfrage nicht gefunden.');
    this.name = 'HandoffNotFound';
  }
}

/** What happened to a request; the bot layer turns each change into messages and card updates. */
export type HandoffChange =
  | { kind: 'created' }
  | { kind: 'taken'; by: string }
  | { kind: 'staffMessage'; text: string; agentName: string }
  | { kind: 'userMessage'; text: string }
  | { kind: 'closed'; by: 'staff' | 'user'; agentName?: string; note?: string }
  | { kind: 'timedOut' }
  | { kind: 'callbackDone'; by: string }
  /** Deleted on the person's request: only the id and the staff card reference are left to act on. */
  | { kind: 'erased' };

/** Delivers changes to the user's conversation and to the staff channel (implemented outside the domain). */
export interface HandoffNotifier {
  /** Throws when the user's conversation cannot be reached (staff see `delivered: false`). */
  changed(handoff: Handoff, change: HandoffChange): Promise<void>;
}

/** Longest texts kept per field; user text is capped at the edge already, staff text here. */
export const LIMITS = { text: 2000, topic: 300, kommune: 120, contact: 300, agentName: 80, transcriptEntries: 12 } as const;

/** The `handoff` entity the user's client reads (DESIGN.md), sent with every change. */
export function handoffEntity(h: Pick<Handoff, 'id' | 'status'>): { type: 'handoff'; id: string; status: HandoffStatus } {
  return { type: 'handoff', id: h.id, status: h.status };
}
