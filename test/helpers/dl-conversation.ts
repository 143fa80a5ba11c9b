import { call } from '../channels/directline-harness';

export interface DlConversation {
  id: string;
  token: string;
  /** Sends text or a card value (or a whole activity) and returns the bot's messages of that turn. */
  say(input: string | Record<string, unknown>, extra?: Record<string, unknown>): Promise<any[]>;
}

/**
 * A Direct Line conversation with the real app, started with the secret. A POST returns after
 * its turn ran, so the replies are stored by then and read after the last watermark.
 */
export async function dlConversation(url: string, secret: string, headers: Record<string, string> = {}): Promise<DlConversation> {
  const started = await call(url, 'POST', '/v3/directline/conversations', { auth: secret });
  if (started.status !== 201) throw new Error('could not start a conversation: ' + started.status);
  const { conversationId, token } = started.body as { conversationId: string; token: string };
  let watermark = '0';
  const read = async () => {
    const list = await call(url, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=${watermark}`, { auth: token });
    watermark = list.body.watermark;
    return (list.body.activities as any[]).filter((a) => a.type === 'message' && a.from.role === 'bot');
  };
  await read(); // the greeting
  return {
    id: conversationId,
    token,
    async say(input, extra = {}) {
      const body = typeof input === 'string' ? { type: 'message', text: input, ...extra } : { type: 'message', value: input, ...extra };
      const r = await call(url, 'POST', `/v3/directline/conversations/${conversationId}/activities`, { auth: token, body, headers });
      if (r.status !== 200) throw new Error(`POST activity: ${r.status} ${JSON.stringify(r.body)}`);
      return read();
    },
  };
}

/** The buttons of the first card of a reply. */
export const cardButtons = (a: any): { title: string; data: Record<string, unknown> }[] => a?.attachments?.[0]?.content?.actions ?? [];
