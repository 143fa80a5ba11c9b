/**
 * The connection and token lifecycle: Web Chat's bundle, a conversation from the token service,
 * Direct Line with the token, refresh before expiry, and recovery when a token no longer works
 * (same conversation if the token service allows it, else a new one, keeping what was typed).
 */
import { loadScript } from './dom';
import type { WebChatView } from './rendering';
import { type ChatSession, isUsable, refreshDelay, type SessionStore, sessionFromToken } from './session';
import type { WidgetSettings } from './settings';
import { widgetTexts as t } from './texts';
import { refreshToken, requestToken, type TokenResult } from './token-client';
import { ConnectionStatus, type DirectLine, type Subscription, type WebChatGlobal } from './webchat-api';

/** What the connection tells the person, through the widget's frame. */
export interface StatusLine {
  showStatus(message: string, opts?: { error?: boolean }): void;
  statusText(): string;
  focusInChat(): boolean;
  focusSendBox(): Promise<void>;
}

export class ChatConnection {
  /** Resolves when the current connection is online (or has given up: then focus goes in anyway). */
  online: Promise<void> = Promise.resolve();
  private bundle?: Promise<WebChatGlobal>;
  private session?: ChatSession;
  private directLine?: DirectLine;
  private subscriptions: Subscription[] = [];
  private refreshTimer?: ReturnType<typeof setTimeout>;
  /** One recovery at a time; further triggers join the running one. */
  private recovering?: Promise<void>;
  private started = false;
  /** Recoveries since the connection was last online; stops a broken server from causing a loop. */
  private attemptsSinceOnline = 0;

  constructor(
    private readonly settings: WidgetSettings,
    private readonly store: SessionStore,
    private readonly view: WebChatView,
    private readonly status: StatusLine,
  ) {}

  /** Connects once: the stored conversation if its token still works or can be renewed, else a new one. */
  async ensureStarted(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (!(await this.loadBundleOrSay())) return;
    const stored = this.store.load().session;
    if (stored && isUsable(stored, Date.now())) {
      this.connect(stored);
    } else if (stored) {
      await this.recover(stored);
    } else {
      await this.startNew();
    }
  }

  async retry(): Promise<void> {
    this.status.showStatus(t.loading);
    if (!this.started) return this.ensureStarted();
    if (this.session) return this.recover(this.session);
    await this.startNew();
  }

  /** "Neues Gespräch": drops the stored conversation and starts another. */
  async newConversation(): Promise<boolean> {
    this.teardown();
    this.store.update({ session: undefined });
    this.started = true;
    if (!(await this.loadBundleOrSay())) return false;
    return this.startNew({ announce: t.newStarted });
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
    this.status.showStatus(t.loading);
    try {
      await this.loadBundle();
      return true;
    } catch {
      this.started = false;
      this.status.showStatus(t.bundleFailed, { error: true });
      return false;
    }
  }

  /** A brand-new conversation from the token service. */
  private async startNew(opts: { announce?: string; keepText?: string } = {}): Promise<boolean> {
    const result = await requestToken(this.settings.tokenUrl);
    if (!result.ok) {
      this.failed(result);
      return false;
    }
    this.connect(sessionFromToken(result.value, Date.now()), opts.keepText);
    if (opts.announce) this.status.showStatus(opts.announce);
    return true;
  }

  private failed(result: Extract<TokenResult, { ok: false }>): void {
    this.status.showStatus(result.status === 429 ? t.tooManyRequests(result.retryAfterSec) : t.unavailable, { error: true });
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
   * Connects Web Chat to a session. Resuming a stored conversation asks Direct Line for the whole
   * history (no watermark), so a reload shows what was said; the watermark seen is kept for the
   * session.
   */
  private connect(session: ChatSession, keepTextArg?: string): void {
    const webChat = window.WebChat!;
    const hadFocus = this.status.focusInChat();
    const keepText = keepTextArg ?? this.view.pendingText();
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
          if (this.status.statusText() === t.loading) this.status.showStatus('');
        } else if (status === ConnectionStatus.ExpiredToken || status === ConnectionStatus.FailedToConnect || status === ConnectionStatus.Ended) {
          void this.recover(this.session!);
        }
      }),
    );

    this.view.render(webChat, directLine, keepText);
    if (hadFocus) void this.online.then(() => this.status.focusSendBox());
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
    } else if (isUsable(session, Date.now()) && !result.ok && (result.status === 0 || result.status >= 500)) {
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
          this.status.showStatus(t.unavailable, { error: true });
          this.attemptsSinceOnline = 0;
          return;
        }
        const keepText = this.view.pendingText();
        if (isUsable(session, Date.now())) {
          const refreshed = await refreshToken(this.settings.directLineDomain, session.token);
          if (refreshed.ok && refreshed.value.conversationId === session.conversationId) {
            this.connect(sessionFromToken(refreshed.value, Date.now()), keepText);
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
        this.connect(next, keepText);
        this.status.showStatus(next.conversationId === session.conversationId ? '' : t.restarted);
      } finally {
        this.recovering = undefined;
      }
    })();
    return this.recovering;
  }
}
