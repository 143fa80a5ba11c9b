import { performance } from 'node:perf_hooks';
import type { ChannelServer, Reply } from './channel';
import { keepAliveAgent, request } from './http';
import { summarise, type RunFigures } from './stats';

export interface TurnLoadOptions {
  /** Base URL of the bot (its /api/messages is posted to). */
  botUrl: string;
  channel: ChannelServer;
  /** Virtual users, each with one keep-alive connection, each sending its next turn when the last is answered. */
  users: number;
  seconds: number;
  /** Texts of one conversation; a virtual user runs it to the end, then starts a new conversation. */
  script: (user: number, round: number) => readonly string[];
  /** A new user id per conversation (nothing remembered), or one per virtual user. */
  newUserPerConversation: boolean;
  /** Tag that keeps conversation ids of different runs apart. */
  tag: string;
  /** Whether a reply is the real thing (e.g. carries a citation); counted, not enforced. */
  check?: (reply: Reply, step: number, script: readonly string[]) => boolean | undefined;
  /** Pause between a reply and the next turn of the same user (0: closed loop at full speed). */
  thinkMs?: number;
}

export interface TurnRun extends RunFigures {
  /** Replies that passed `check` / replies checked. */
  checkedOk: number;
  checked: number;
  /** Conversations run to their last turn inside the window. */
  conversations: number;
  firstError?: string;
}

let activitySeq = 0;

/**
 * Closed-loop load on /api/messages, measured end to end: from the moment the activity is sent
 * until the bot's reply reaches the channel server. Only turns answered inside the window count.
 */
export async function runTurns(o: TurnLoadOptions): Promise<TurnRun> {
  const agent = keepAliveAgent(o.users);
  const latencies: number[] = [];
  let errors = 0;
  let checked = 0;
  let checkedOk = 0;
  let conversations = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + o.seconds * 1000;

  const user = async (u: number): Promise<void> => {
    for (let round = 0; performance.now() < end; round++) {
      const script = o.script(u, round);
      const conversationId = `${o.tag}-u${u}-c${round}`;
      const userId = o.newUserPerConversation ? `${o.tag}-user-${u}-${round}` : `${o.tag}-user-${u}`;
      let finished = true;
      for (let step = 0; step < script.length; step++) {
        if (performance.now() >= end) {
          finished = false;
          break;
        }
        const id = `b${++activitySeq}`;
        const activity = {
          type: 'message',
          id,
          text: script[step],
          timestamp: new Date().toISOString(),
          channelId: 'emulator',
          serviceUrl: o.channel.url,
          from: { id: userId, name: 'Sachbearbeitung' },
          recipient: { id: 'bot', name: 'KDLZ-Bot' },
          conversation: { id: conversationId },
          locale: 'de-DE',
        };
        const sent = performance.now();
        const replied = o.channel.replyTo(id, 30_000);
        try {
          const [res, reply] = await Promise.all([request(agent, 'POST', o.botUrl + '/api/messages', activity), replied]);
          if (res.status >= 300) throw new Error(`HTTP ${res.status} ${res.body.slice(0, 200)}`);
          if (reply.at <= end) latencies.push(reply.at - sent);
          const ok = o.check?.(reply, step, script);
          if (ok !== undefined) {
            checked++;
            if (ok) checkedOk++;
          }
        } catch (err) {
          replied.catch(() => undefined);
          errors++;
          firstError ??= (err as Error).message;
          finished = false;
          break;
        }
        if (o.thinkMs) await new Promise((r) => setTimeout(r, o.thinkMs));
      }
      if (finished && performance.now() <= end) conversations++;
    }
  };
  await Promise.all(Array.from({ length: o.users }, (_x, u) => user(u)));
  agent.destroy();
  o.channel.forget();
  return { ...summarise(latencies, o.seconds, errors), checked, checkedOk, conversations, firstError };
}
