/**
 * The widget's own DOM: the launcher button and the chat panel, a native <dialog> opened with
 * showModal(), so the browser keeps focus inside it, makes the page behind inert and closes it on
 * Escape. No inline script or style attribute is written (strict Content-Security-Policy).
 */
import type { WidgetSettings } from './settings';
import { widgetTexts as t } from './texts';

const SENDBOX_SELECTOR = '[data-id="webchat-sendbox-input"], .webchat__send-box-text-box__input, .webchat__send-box textarea';

let idCounter = 0;
const uid = (name: string): string => `kdlz-chat-${name}-${++idCounter}`;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Loads a script once; resolves when it has run. */
export function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = el('script', { src });
    s.async = true;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error('script failed: ' + src));
    document.head.appendChild(s);
  });
}

export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface FrameActions {
  /** The launcher was pressed. */
  open(): void;
  /** The panel was closed (button, Escape). */
  closed(): void;
  newConversation(): void;
  retry(): void;
}

export class WidgetFrame {
  /** Where Web Chat is rendered. */
  readonly chatHost: HTMLDivElement;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLDialogElement;
  private readonly status: HTMLDivElement;
  private readonly retryButton: HTMLButtonElement;
  private readonly root: HTMLDivElement;

  constructor(settings: WidgetSettings, actions: FrameActions) {
    document.head.appendChild(el('link', { rel: 'stylesheet', href: settings.cssUrl }));
    const panelId = uid('panel');
    const titleId = uid('title');
    this.root = el('div', { class: 'kdlz-chat' });
    this.root.style.setProperty('--kdlz-primary', settings.primaryColor);

    this.launcher = el('button', { type: 'button', class: 'kdlz-chat__launcher', 'aria-expanded': 'false', 'aria-controls': panelId });
    this.launcher.append(chatIcon(), el('span', {}, t.launcher));
    this.launcher.addEventListener('click', () => actions.open());

    // autofocus: showModal() focuses the dialog itself, not its first button.
    this.panel = el('dialog', { id: panelId, class: 'kdlz-chat__panel', 'aria-labelledby': titleId, autofocus: '', tabindex: '-1' });
    const header = el('div', { class: 'kdlz-chat__header' });
    const heading = el(`h${settings.headingLevel}` as 'h2', { id: titleId, class: 'kdlz-chat__title' }, settings.title);
    const newButton = el('button', { type: 'button', class: 'kdlz-chat__new' }, t.newConversation);
    newButton.addEventListener('click', () => actions.newConversation());
    const closeButton = el('button', { type: 'button', class: 'kdlz-chat__close', 'aria-label': t.close, title: t.close });
    closeButton.append(closeIcon());
    closeButton.addEventListener('click', () => this.panel.close());
    header.append(heading, newButton, closeButton);

    this.status = el('div', { class: 'kdlz-chat__status', role: 'status' });
    this.retryButton = el('button', { type: 'button', class: 'kdlz-chat__retry' }, t.retry);
    this.retryButton.hidden = true;
    this.retryButton.addEventListener('click', () => actions.retry());
    this.chatHost = el('div', { class: 'kdlz-chat__body' });

    const footer = el('div', { class: 'kdlz-chat__footer' });
    footer.append(
      el('a', { href: settings.privacyUrl, target: '_blank', rel: 'noopener' }, t.privacy),
      el('a', { href: settings.accessibilityUrl, target: '_blank', rel: 'noopener' }, t.accessibility),
    );
    this.panel.append(header, this.status, this.retryButton, this.chatHost, footer);

    // Escape closes the panel, except inside a message (a card): there Web Chat's own Escape
    // first takes the user back to the transcript. Web Chat's key handling runs before this one
    // and may prevent the default, which also stops the dialog's own Escape ('cancel'), so the
    // panel closes itself here and never on 'cancel'.
    this.panel.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const target = e.target as Element;
      e.preventDefault();
      if (target.closest('.webchat__basic-transcript') && !target.matches('.webchat__basic-transcript')) return;
      this.panel.close();
    });
    this.panel.addEventListener('cancel', (e) => e.preventDefault());
    this.panel.addEventListener('close', () => {
      this.launcher.hidden = false;
      this.launcher.setAttribute('aria-expanded', 'false');
      this.launcher.focus();
      actions.closed();
    });

    this.root.append(this.launcher, this.panel);
    document.body.appendChild(this.root);
  }

  open(): void {
    if (this.panel.open) return;
    this.launcher.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.panel.showModal();
  }

  showStatus(message: string, opts: { error?: boolean } = {}): void {
    this.status.textContent = message;
    this.status.classList.toggle('kdlz-chat__status--error', !!opts.error);
    this.retryButton.hidden = !opts.error;
  }

  statusText(): string {
    return this.status.textContent ?? '';
  }

  /** True while focus is inside Web Chat (then a reconnect puts it back into the send box). */
  focusInChat(): boolean {
    return this.chatHost.contains(document.activeElement);
  }

  /** Focuses Web Chat's send box once it exists (at most 3 s). */
  async focusSendBox(): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const input = this.chatHost.querySelector<HTMLElement>(SENDBOX_SELECTOR);
      if (input) {
        input.focus();
        return;
      }
      await delay(50);
    }
  }
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
