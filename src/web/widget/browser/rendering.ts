/**
 * Web Chat rendering: one Web Chat per Direct Line connection, in the portal's colour, with bot
 * Markdown rendered without raw HTML (Web Chat's own markdownRenderHTML: false; its renderer also
 * sanitises links) and Adaptive Cards announced to screen readers as a text summary.
 */
import { summariseAdaptiveCard } from './card-summary';
import { el } from './dom';
import type { DirectLine, WebChatGlobal, WebChatStore } from './webchat-api';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
interface ScreenReaderOptions {
  attachment: { contentType?: string; content?: unknown };
  [key: string]: unknown;
}
type ScreenReaderFactory = (options: ScreenReaderOptions) => unknown;

/**
 * Web Chat middleware (attachmentForScreenReaderMiddleware): an Adaptive Card is announced as a
 * text summary (card-summary.ts). The card is handed on to Web Chat's own renderer as a text
 * attachment, so Web Chat builds the element ("Ein Text: …", escaped) and no React is needed here.
 */
export const announceCardsAsText = () => (next: ScreenReaderFactory): ScreenReaderFactory => (options) =>
  options.attachment.contentType === ADAPTIVE_CARD
    ? next({ ...options, attachment: { contentType: 'text/plain', content: summariseAdaptiveCard(options.attachment.content) } })
    : next(options);

export class WebChatView {
  private store?: WebChatStore;

  constructor(
    private readonly host: HTMLElement,
    private readonly primaryColor: string,
  ) {}

  /** A fresh container and store every time: Web Chat cannot swap its store in place. */
  render(webChat: WebChatGlobal, directLine: DirectLine, keepText: string): void {
    const store = webChat.createStore({});
    this.store = store;
    const container = el('div', { class: 'kdlz-chat__webchat' });
    this.host.replaceChildren(container);
    webChat.renderWebChat(
      {
        directLine,
        store,
        locale: 'de-DE',
        styleOptions: styleOptions(this.primaryColor),
        attachmentForScreenReaderMiddleware: announceCardsAsText,
      },
      container,
    );
    if (keepText) store.dispatch({ type: 'WEB_CHAT/SET_SEND_BOX', payload: { text: keepText } });
  }

  /** What the user typed and has not got through yet: the send box, else the last failed send. */
  pendingText(): string {
    const state = this.store?.getState();
    if (!state) return '';
    if (state.sendBoxValue) return state.sendBoxValue;
    const failed = (state.activities ?? []).filter((a) => a.from?.role === 'user' && a.channelData?.state === 'send failed' && a.text);
    return failed.length ? failed[failed.length - 1].text! : '';
  }
}

/** Web Chat's look in the portal's colour; every pair chosen for at least 4.5 : 1 contrast. */
export function styleOptions(primary: string): Record<string, unknown> {
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
    // Raw HTML in bot Markdown is shown as the text it is (markdown-it html: false).
    markdownRenderHTML: false,
  };
}
