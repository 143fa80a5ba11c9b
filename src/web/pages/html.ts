/**
 * Small HTML helpers for the server-rendered pages. Every value from configuration passes
 * through escapeHtml; the pages carry no inline script or style (the CSP forbids inline script).
 */

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A tagged template whose interpolations are escaped unless wrapped in raw(). */
export class RawHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export const raw = (html: string): RawHtml => new RawHtml(html);

export function html(strings: TemplateStringsArray, ...values: unknown[]): RawHtml {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new RawHtml(out);
}

function render(v: unknown): string {
  if (v === undefined || v === null || v === false) return '';
  if (v instanceof RawHtml) return v.html;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/** Only http(s) and mailto links from configuration become href values. */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^(https?:\/\/|mailto:|\/)/i.test(url) ? url : undefined;
}

export interface PageFrame {
  title: string;
  /** The path of this page, to mark the current navigation entry. */
  path: string;
  main: RawHtml;
  /** Extra elements at the end of <body> (the widget's script tag on the portal page). */
  bodyEnd?: RawHtml;
}

const nav: { path: string; label: string }[] = [
  { path: '/', label: 'Startseite' },
  { path: '/datenschutz', label: 'Datenschutz' },
  { path: '/barrierefreiheit', label: 'Barrierefreiheit' },
];

/** The common frame: skip link, header, navigation, main, footer; German, one h1 per page. */
export function page(frame: PageFrame): string {
  return (
    '<!doctype html>\n' +
    html`<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} – Portal für Kommunen in Hessen (Demo)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>
<header class="site-header">
  <p class="site-name">Portal für Kommunen in Hessen <span class="badge">Demo</span></p>
  <nav aria-label="Hauptnavigation">
    <ul>
      ${nav.map((n) => html`<li><a href="${n.path}"${n.path === frame.path ? raw(' aria-current="page"') : ''}>${n.label}</a></li>`)}
    </ul>
  </nav>
</header>
<main id="inhalt" tabindex="-1">
${frame.main}
</main>
<footer class="site-footer">
  <p>KDLZ-Bot – Open-Source-Chat-Assistent für die Kommunen in Hessen.
  <a href="/datenschutz">Datenschutz</a> · <a href="/barrierefreiheit">Erklärung zur Barrierefreiheit</a></p>
</footer>
${frame.bodyEnd}
</body>
</html>
`.html
  );
}
