/**
 * The parts of Web Chat's global API (window.WebChat, from /webchat/webchat.js) the widget uses,
 * as documented for the CDN bundle: createDirectLine, createStore, renderWebChat.
 */
export interface Subscription {
  unsubscribe(): void;
}
export interface Observable<T> {
  subscribe(next: (value: T) => void, error?: (e: unknown) => void): Subscription;
}
export interface DirectLine {
  token?: string;
  watermark?: string;
  activity$: Observable<unknown>;
  connectionStatus$: Observable<number>;
  end(): void;
}
export interface OutgoingActivity {
  type?: string;
  text?: string;
  from?: { role?: string };
  channelData?: { state?: string };
}
export interface WebChatStore {
  getState(): { sendBoxValue?: string; activities?: OutgoingActivity[] };
  dispatch(action: { type: string; payload?: unknown }): void;
}
export interface WebChatGlobal {
  createDirectLine(options: Record<string, unknown>): DirectLine;
  createStore(initial: object, ...middleware: unknown[]): WebChatStore;
  renderWebChat(props: Record<string, unknown>, element: HTMLElement): void;
}
declare global {
  interface Window {
    WebChat?: WebChatGlobal;
    kdlzWidgetLoaded?: boolean;
  }
}

/** botframework-directlinejs ConnectionStatus values. */
export const ConnectionStatus = { Online: 2, FailedToConnect: 3, ExpiredToken: 4, Ended: 5 } as const;
