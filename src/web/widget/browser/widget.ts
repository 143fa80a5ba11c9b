/* eslint-disable max-lines -- over 450 lines until the split into DOM, connection and rendering modules (issue #16) lands */
/**
 * The embeddable chat widget: `<script src=".../widget.js" data-… defer></script>` adds a
 * launcher button and a chat panel with the official botframework-webchat. No inline script or
 * style attribute is written, so it runs under a strict Content-Security-Policy.
 */
import { summariseAdaptiveCard } from './card-summary';
import { escapeRawHtml } from './markdown';
import { type ChatSession, isUsable, refreshDelay, SessionStore, sessionFromToken } from './session';
import { readSettings, type WidgetSettings } from './settings';
import { widgetTexts as t } from './texts';
import { refreshToken, requestToken, type TokenResult } from './token-client';

// --- the parts of Web Chat's global API the widget uses ---------------------------------------
interface Subscription {
  unsubscribe(): void;
}
interface Observable<T> {
  subscribe(next: (value: T) => void, error?: (e: unknown) => void): Subscription;
}
interface DirectLine {
  token?: string;
  watermark?: string;
  activity$: Observable<unknown>;
  connectionStatus$: Observable<number>;
  end(): void;
}
interface WebChatStore {
  getState(): { sendBoxValue?: string; activities?: OutgoingActivity[] };
  dispatch(action: { type: string; payload?: unknown }): void;
}
interface OutgoingActivity {
  type?: string;
  text?: string;
  from?: { role?: string };
  channelData?: { state?: string };
}
interface WebChatGlobal {
  createDirectLine(options: Record<string, unknown>): DirectLine;
  createStore(initial: object, ...middleware: unknown[]): WebChatStore;
  renderWebChat(props: Record<string, unknown>, element: HTMLElement): void;
  renderMarkdown(markdown: string, ...rest: unknown[]): string;
}
declare global {
  interface Window {
    WebChat?: WebChatGlobal;
    kdlzWidgetLoaded?: boolean;
  }
}

/** botframework-directlinejs ConnectionStatus values. */
const ConnectionStatus = { Online: 2, FailedToConnect: 3, ExpiredToken: 4, Ended: 5 } as const;

const SENDBOX_SELECTOR = '[data-id="webchat-sendbox-input"], .webchat__send-box-text-box__input, .webchat__send-box textarea';
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

let idCounter = 0;
const uid = (name: string): string => `kdlz-chat-${name}-${++idCounter}`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Loads a script once; resolves when it has run. */
function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = el('script', { src });
    s.async = true;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error('script failed: ' + src));
    document.head.appendChild(s);
  });
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class ChatWidget {
  private readonly store: SessionStore;
  private root!: HTMLDivElement;
  private launcher!: HTMLButtonElement;
  private panel!: HTMLElement;
  private status!: HTMLDivElement;
  private retryButton!: HTMLButtonElement;
  private chatHost!: HTMLDivElement;

  private bundle?: Promise<WebChatGlobal>;
  private session?: ChatSession;
  private directLine?: DirectLine;
  private webChatStore?: WebChatStore;
  private subscriptions: Subscription[] = [];
  private refreshTimer?: ReturnType<typeof setTimeout>;
  /** One recovery at a time; further triggers join the running one. */
  private recovering?: Promise<void>;
  private started = false;
  /** Resolves when the current connection is online (or has given up: then focus goes in anyway). */
  private online: Promise<void> = Promise.resolve();
  /** Recoveries since the connection was last online; stops a broken server from causing a loop. */
  private attemptsSinceOnline = 0;

  constructor(private readonly settings: WidgetSettings) {
    this.store = new SessionStore(safeSessionStorage(), `kdlz-webchat:${settings.origin}`);
  }

  mount(): void {
    const css = el('link', { rel: 'stylesheet', href: this.settings.cssUrl });
    document.head.appendChild(css);

    const panelId = uid('panel');
    const titleId = uid('title');
    this.root = el('div', { class: 'kdlz-chat' });
    this.root.style.setProperty('--kdlz-primary', this.settings.primaryColor);

    this.launcher = el('button', { type: 'button', class: 'kdlz-chat__launcher', 'aria-expanded': 'false', 'aria-controls': panelId });
    this.launcher.append(chatIcon(), el('span', {}, t.launcher));
    this.launcher.addEventListener('click', () => void this.open(true));

    this.panel = el('section', { id: panelId, class: 'kdlz-chat__panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, tabindex: '-1' });
    this.panel.hidden = true;
    const header = el('div', { class: 'kdlz-chat__header' });
    const heading = el(`h${this.settings.headingLevel}` as 'h2', { id: titleId, class: 'kdlz-chat__title' }, this.settings.title);
    const newButton = el('button', { type: 'button', class: 'kdlz-chat__new' }, t.newConversation);
    newButton.addEventListener('click', () => void this.newConversation());
    const closeButton = el('button', { type: 'button', class: 'kdlz-chat__close', 'aria-label': t.close, title: t.close });
    closeButton.append(closeIcon());
    closeButton.addEventListener('click', () => this.close());
    header.append(heading, newButton, closeButton);

    this.status = el('div', { class: 'kdlz-chat__status', role: 'status' });
    this.retryButton = el('button', { type: 'button', class: 'kdlz-chat__retry' }, t.retry);
    this.retryButton.hidden = true;
    this.retryButton.addEventListener('click', () => void this.retry());
    this.chatHost = el('div', { class: 'kdlz-chat__body' });

    const footer = el('div', { class: 'kdlz-chat__footer' });
    footer.append(
      el('a', { href: this.settings.privacyUrl, target: '_blank', rel: 'noopener' }, t.privacy),
      el('a', { href: this.settings.accessibilityUrl, target: '_blank', rel: 'noopener' }, t.accessibility),
    );
    this.panel.append(header, this.status, this.retryButton, this.chatHost, footer);
    this.panel.addEventListener('keydown', (e) => this.onPanelKeyDown(e));

    this.root.append(this.launcher, this.panel);
    document.body.appendChild(this.root);

    // A reload with the panel open reopens it, without moving focus away from where the page put it.
    if (this.store.load().open) void this.open(false);
  }

  private async open(moveFocus: boolean): Promise<void> {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.store.update({ open: true });
    if (moveFocus) this.panel.focus();
    await this.ensureStarted();
    // Focus the send box once connected: Web Chat ignores Enter pressed before that.
    if (moveFocus) {
      await this.online;
      await this.focusSendBox();
    }
  }

  private close(): void {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.store.update({ open: false });
    this.launcher.focus();
  }

  /** Escape closes; Tab stays inside the dialog (aria-modal) until it is closed. */
  private onPanelKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      // Inside a message (a card) Escape first takes the user back to the transcript (Web Chat's
      // own key); only a further Escape closes the panel.
      const target = e.target as Element;
      if (target.closest('.webchat__basic-transcript') && !target.matches('.webchat__basic-transcript')) return;
      e.preventDefault();
      this.close();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = [...this.panel.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((n) => n.getClientRects().length > 0 && !n.closest('[hidden]'));
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  private async focusSendBox(): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const input = this.chatHost.querySelector<HTMLElement>(SENDBOX_SELECTOR);
      if (input) {
        input.focus();
        return;
      }
      await delay(50);
    }
  }

  private showStatus(message: string, opts: { error?: boolean } = {}): void {
    this.status.textContent = message;
    this.status.classList.toggle('kdlz-chat__status--error', !!opts.error);
    this.retryButton.hidden = !opts.error;
  }

  private loadBundle(): Promise<WebChatGlobal> {
    this.bundle ??= loadScript(this.settings.webChatUrl).then(() => {
      if (!window.WebChat) throw new Error('WebChat global missing');
      return window.WebChat;
    });
    this.bundle.catch(() => (this.bundle = undefined));
    return this.bundle;
  }

  /** Loads Web Chat, saying so while it loads and in German if it cannot. */
  private async loadBundleOrSay(): Promise<boolean> {
    this.showStatus(t.loading);
    try {
      await this.loadBundle();
      return true;
    } catch {
      this.started = false;
      this.showStatus(t.bundleFailed, { error: true });
      return false;
    }
  }

  private async ensureStarted(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (!(await this.loadBundleOrSay())) return;
    const stored = this.store.load().session;
    if (stored && isUsable(stored, Date.now())) {
      this.connect(stored, { fromStorage: true });
    } else if (stored) {
      await this.recover(stored);
    } else {
      await this.startNew();
    }
  }

  private async retry(): Promise<void> {
    this.showStatus(t.loading);
    if (!this.started) return this.ensureStarted();
    if (this.session) return this.recover(this.session);
    await this.startNew();
  }

  /** A brand-new conversation from the token service. */
  private async startNew(opts: { announce?: string; keepText?: string } = {}): Promise<boolean> {
    const result = await requestToken(this.settings.tokenUrl);
    if (!result.ok) {
      this.failed(result);
      return false;
    }
    this.connect(sessionFromToken(result.value, Date.now()), { keepText: opts.keepText });
    if (opts.announce) this.showStatus(opts.announce);
    return true;
  }

  private failed(result: Extract<TokenResult, { ok: false }>): void {
    this.showStatus(result.status === 429 ? t.tooManyRequests(result.retryAfterSec) : t.unavailable, { error: true });
  }

  private async newConversation(): Promise<void> {
    this.teardown();
    this.store.update({ session: undefined });
    this.started = true;
    if (!(await this.loadBundleOrSay())) return;
    if (await this.startNew({ announce: t.newStarted })) {
      await this.online;
      await this.focusSendBox();
    }
  }

  /** What the user typed and has not got through yet: the send box, else the last failed send. */
  private pendingText(): string {
    const state = this.webChatStore?.getState();
    if (!state) return '';
    if (state.sendBoxValue) return state.sendBoxValue;
    const failed = (state.activities ?? []).filter((a) => a.from?.role === 'user' && a.channelData?.state === 'send failed' && a.text);
    return failed.length ? failed[failed.length - 1].text! : '';
  }

  private teardown(): void {
    clearTimeout(this.refreshTimer);
    for (const s of this.subscriptions) s.unsubscribe();
    this.subscriptions = [];
    try {
      this.directLine?.end();
    } catch {
      /* ending twice throws in directlinejs; nothing to do */
    }
    this.directLine = undefined;
  }

  /**
   * Renders Web Chat for a session. Resuming a stored conversation asks Direct Line for the whole
   * history (no watermark), so a reload shows what was said; the watermark seen is kept for the
   * session. A fresh container every time: Web Chat cannot swap its store in place.
   */
  private connect(session: ChatSession, opts: { fromStorage?: boolean; keepText?: string } = {}): void {
    const webChat = window.WebChat!;
    const hadFocus = this.chatHost.contains(document.activeElement);
    const keepText = opts.keepText ?? this.pendingText();
    this.teardown();
    this.session = session;
    this.store.update({ session });

    const directLine = webChat.createDirectLine({
      domain: this.settings.directLineDomain,
      token: session.token,
      conversationId: session.conversationId,
      webSocket: true,
    });
    this.directLine = directLine;
    let markOnline!: () => void;
    this.online = new Promise<void>((resolve) => (markOnline = resolve));
    setTimeout(() => markOnline(), 10_000);
    const store = webChat.createStore({});
    this.webChatStore = store;

    this.subscriptions.push(
      directLine.activity$.subscribe(() => {
        if (this.directLine !== directLine || !this.session) return;
        this.session = { ...this.session, watermark: directLine.watermark };
        this.store.update({ session: this.session });
      }),
      directLine.connectionStatus$.subscribe((status) => {
        if (this.directLine !== directLine) return;
        if (status === ConnectionStatus.Online) {
          this.attemptsSinceOnline = 0;
          markOnline();
          if (this.status.textContent === t.loading) this.showStatus('');
        } else if (status === ConnectionStatus.ExpiredToken || status === ConnectionStatus.FailedToConnect || status === ConnectionStatus.Ended) {
          void this.recover(this.session!);
        }
      }),
    );

    const container = el('div', { class: 'kdlz-chat__webchat' });
    this.chatHost.replaceChildren(container);
    webChat.renderWebChat(
      {
        directLine,
        store,
        locale: 'de-DE',
        styleOptions: styleOptions(this.settings.primaryColor),
        renderMarkdown: (markdown: string, ...rest: unknown[]) => webChat.renderMarkdown(escapeRawHtml(markdown), ...rest),
        attachmentForScreenReaderMiddleware: announceCardsAsText,
      },
      container,
    );
    if (keepText) store.dispatch({ type: 'WEB_CHAT/SET_SEND_BOX', payload: { text: keepText } });
    if (hadFocus) void this.online.then(() => this.focusSendBox());
    this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    if (!this.session) return;
    this.refreshTimer = setTimeout(() => void this.refresh(), refreshDelay(this.session, Date.now()));
  }

  /** Direct Line refresh before expiry; the running connection just gets the new token. */
  private async refresh(): Promise<void> {
    const session = this.session;
    const directLine = this.directLine;
    if (!session || !directLine) return;
    const result = await refreshToken(this.settings.directLineDomain, session.token);
    if (this.session !== session) return;
    if (result.ok && result.value.conversationId === session.conversationId) {
      this.session = { ...sessionFromToken(result.value, Date.now()), watermark: session.watermark };
      directLine.token = result.value.token;
      this.store.update({ session: this.session });
      this.scheduleRefresh();
    } else if (isUsable(session, Date.now()) && (!result.ok && (result.status === 0 || result.status >= 500))) {
      // Network trouble: try again while the token still works.
      this.refreshTimer = setTimeout(() => void this.refresh(), Math.min(5_000, refreshDelay(session, Date.now())));
    } else {
      await this.recover(session);
    }
  }

  /**
   * The token no longer works (expired while the tab slept, refresh refused, stream rejected):
   * ask the token service for a token for the same conversation; if it cannot give one, start a
   * new conversation. Either way what the user typed stays in the send box.
   */
  private recover(session: ChatSession): Promise<void> {
    this.recovering ??= (async () => {
      try {
        if (++this.attemptsSinceOnline > 3) {
          this.teardown();
          this.showStatus(t.unavailable, { error: true });
          this.attemptsSinceOnline = 0;
          return;
        }
        const keepText = this.pendingText();
        if (isUsable(session, Date.now())) {
          const refreshed = await refreshToken(this.settings.directLineDomain, session.token);
          if (refreshed.ok && refreshed.value.conversationId === session.conversationId) {
            this.connect(sessionFromToken(refreshed.value, Date.now()), { keepText });
            return;
          }
        }
        const renewed = await requestToken(this.settings.tokenUrl, { conversationId: session.conversationId, token: session.token });
        if (!renewed.ok && renewed.status >= 400 && renewed.status < 500 && renewed.status !== 429) {
          // The service will not resume this conversation (gone, or not ours): start afresh.
          this.teardown();
          await this.startNew({ announce: t.restarted, keepText });
          return;
        }
        if (!renewed.ok) {
          this.teardown();
          this.failed(renewed);
          return;
        }
        const next = sessionFromToken(renewed.value, Date.now());
        this.connect(next, { keepText });
        this.showStatus(next.conversationId === session.conversationId ? '' : t.restarted);
      } finally {
        this.recovering = undefined;
      }
    })();
    return this.recovering;
  }
}

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
type ScreenReaderFactory = (options: { attachment: { contentType?: string; content?: unknown } }) => unknown;

/**
 * A React element for a <p> holding plain text. Web Chat's bundle does not expose React, and this
 * middleware must return an element; the object below is exactly what React.createElement('p',
 * null, text) returns (React 16 checks $$typeof). Text children are escaped by React.
 */
const textElement = (text: string) => ({ $$typeof: Symbol.for('react.element'), type: 'p', key: null, ref: null, props: { children: text }, _owner: null });

/** Web Chat middleware: Adaptive Cards are announced as a text summary (see card-summary.ts). */
const announceCardsAsText = () => (next: ScreenReaderFactory): ScreenReaderFactory => (options) =>
  options.attachment.contentType === ADAPTIVE_CARD ? () => textElement(summariseAdaptiveCard(options.attachment.content)) : next(options);

function safeSessionStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** Web Chat's look in the portal's colour; every pair chosen for at least 4.5 : 1 contrast. */
function styleOptions(primary: string): Record<string, unknown> {
  return {
    accent: primary,
    primaryFont: 'inherit',
    rootHeight: '100%',
    rootWidth: '100%',
    backgroundColor: '#ffffff',
    bubbleBackground: '#f2f4f7',
    bubbleBorderColor: '#d0d7de',
    bubbleBorderWidth: 1,
    bubbleTextColor: '#1b1b1b',
    bubbleFromUserBackground: primary,
    bubbleFromUserBorderColor: primary,
    bubbleFromUserTextColor: '#ffffff',
    subtle: '#595959',
    timestampColor: '#595959',
    sendBoxTextColor: '#1b1b1b',
    sendBoxButtonColor: primary,
    sendBoxButtonColorOnHover: primary,
    sendBoxPlaceholderColor: '#595959',
    suggestedActionBackgroundColor: '#ffffff',
    suggestedActionBorderColor: primary,
    suggestedActionTextColor: primary,
    suggestedActionLayout: 'stacked',
    hideUploadButton: true,
    typingAnimationDuration: 5000,
  };
}

function svg(path: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const s = document.createElementNS(ns, 'svg');
  s.setAttribute('viewBox', '0 0 24 24');
  s.setAttribute('aria-hidden', 'true');
  s.setAttribute('focusable', 'false');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', path);
  p.setAttribute('fill', 'currentColor');
  s.appendChild(p);
  return s;
}

const chatIcon = () => svg('M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm2 5v2h12V9H6zm0 4v2h8v-2H6z');
const closeIcon = () => svg('M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12 19 6.4 17.6 5 12 10.6z');

(function start() {
  const script = document.currentScript as HTMLScriptElement | null;
  if (!script || window.kdlzWidgetLoaded) return;
  window.kdlzWidgetLoaded = true;
  const settings = readSettings({ ...script.dataset }, script.src);
  const mount = () => new ChatWidget(settings).mount();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
  else mount();
})();
