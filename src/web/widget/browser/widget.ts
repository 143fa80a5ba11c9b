/**
 * The embeddable chat widget: `<script src=".../widget.js" data-… defer></script>` adds a
 * launcher button and a chat panel with the official botframework-webchat. Three parts:
 * dom.ts (launcher and native <dialog>), connection.ts (tokens, Direct Line, recovery) and
 * rendering.ts (Web Chat itself); this file wires them to the page.
 */
import { ChatConnection } from './connection';
import { WidgetFrame } from './dom';
import { WebChatView } from './rendering';
import { SessionStore } from './session';
import { readSettings, type WidgetSettings } from './settings';

function safeSessionStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

function mountWidget(settings: WidgetSettings): void {
  const store = new SessionStore(safeSessionStorage(), `kdlz-webchat:${settings.origin}`);
  // The frame's buttons call into the connection, which is built right after the frame.
  let connection!: ChatConnection;
  const open = async (): Promise<void> => {
    frame.open();
    store.update({ open: true });
    await connection.ensureStarted();
    // Focus the send box once connected: Web Chat ignores Enter pressed before that.
    await connection.online;
    await frame.focusSendBox();
  };
  const frame = new WidgetFrame(settings, {
    open: () => void open(),
    closed: () => store.update({ open: false }),
    newConversation: () =>
      void connection.newConversation().then(async (started) => {
        if (!started) return;
        await connection.online;
        await frame.focusSendBox();
      }),
    retry: () => void connection.retry(),
  });
  connection = new ChatConnection(settings, store, new WebChatView(frame.chatHost, settings.primaryColor), frame);
  // A reload with the panel open reopens it (as a modal dialog, focus goes into it).
  if (store.load().open) void open();
}

(function start() {
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script || window.kdlzWidgetLoaded) return;
  window.kdlzWidgetLoaded = true;
  const settings = readSettings({ ...script.dataset }, script.src);
  const mount = () => mountWidget(settings);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
  else mount();
})();
