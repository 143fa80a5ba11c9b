/**
 * Bot Markdown is shown without raw HTML: every "<" outside code is backslash-escaped before
 * Web Chat's renderer sees it, so "<script>" or "<img onerror=…>" appear as the text they are
 * instead of being dropped or interpreted. (Code spans and fences already show "<" literally.)
 * javascript: links are refused by the renderer itself and stay visible as text.
 */
const CODE = /(```[\s\S]*?(?:```|$)|`[^`\n]*`)/g;

export function escapeRawHtml(markdown: string): string {
  return markdown
    .split(CODE)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\\?</g, '\\<')))
    .join('');
}
