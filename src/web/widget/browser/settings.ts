/**
 * The widget's settings from the data attributes of its own <script> tag, validated: a portal
 * page is outside our control, so every value is checked and falls back to a safe default.
 */

export interface WidgetSettings {
  /** Origin widget.js was loaded from; default base for every other URL. */
  origin: string;
  tokenUrl: string;
  directLineDomain: string;
  webChatUrl: string;
  cssUrl: string;
  privacyUrl: string;
  accessibilityUrl: string;
  title: string;
  primaryColor: string;
  headingLevel: number;
}

export const DEFAULT_PRIMARY = '#00508c';
/** WCAG 2.1 AA for normal text, and white text sits on the primary colour. */
export const MIN_CONTRAST = 4.5;

/** Relative luminance of a #rrggbb colour (WCAG 2.1 definition). */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** #rgb or #rrggbb, normalised to lower-case #rrggbb; anything else is undefined. */
export function normaliseHex(value: string | null | undefined): string | undefined {
  const v = (value ?? '').trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(v)) return v;
  if (/^#[0-9a-f]{3}$/.test(v)) return '#' + [...v.slice(1)].map((c) => c + c).join('');
  return undefined;
}

/**
 * The portal's colour if white text on it (and it on white) is readable; otherwise our default,
 * because an unreadable send button would fail users, not the portal's designer.
 */
export function pickPrimaryColor(value: string | null | undefined): string {
  const hex = normaliseHex(value);
  return hex && contrastRatio(hex, '#ffffff') >= MIN_CONTRAST ? hex : DEFAULT_PRIMARY;
}

/** An absolute http(s) URL resolved against the widget's origin, or the fallback. */
export function resolveUrl(value: string | null | undefined, origin: string, fallbackPath: string): string {
  const fallback = new URL(fallbackPath, origin).toString();
  if (!value || !value.trim()) return fallback;
  try {
    const u = new URL(value.trim(), origin);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : fallback;
  } catch {
    return fallback;
  }
}

export function readSettings(data: Record<string, string | undefined>, scriptSrc: string): WidgetSettings {
  const origin = new URL(scriptSrc).origin;
  const title = (data.title ?? '').trim().slice(0, 60) || 'KDLZ-Bot';
  const level = Number(data.headingLevel);
  return {
    origin,
    tokenUrl: resolveUrl(data.tokenUrl, origin, '/api/webchat/token'),
    directLineDomain: resolveUrl(data.directlineUrl, origin, '/v3/directline').replace(/\/+$/, ''),
    webChatUrl: resolveUrl(data.webchatUrl, origin, '/webchat/webchat.js'),
    cssUrl: new URL('/widget.css', origin).toString(),
    privacyUrl: resolveUrl(data.privacyUrl, origin, '/datenschutz'),
    accessibilityUrl: resolveUrl(data.accessibilityUrl, origin, '/barrierefreiheit'),
    title,
    primaryColor: pickPrimaryColor(data.primaryColor),
    headingLevel: Number.isInteger(level) && level >= 2 && level <= 6 ? level : 2,
  };
}
