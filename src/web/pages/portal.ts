/**
 * The demo portal page at "/": a plain portal page of the kind a Kommune's staff would visit,
 * embedding the chat widget with the one script tag a real portal would use.
 */
import { html, page, raw } from './html';

export interface PortalPageOptions {
  /** Where the widget's privacy link points (PRIVACY_URL or our own /datenschutz). */
  privacyUrl: string;
}

/** The portal's colour; white text on it has a contrast of 7.6 : 1. */
export const PORTAL_PRIMARY_COLOR = '#00508c';

export function renderPortalPage(opts: PortalPageOptions): string {
  const main = html`
<h1>KDLZ-Bot: Fragen zu Cybersicherheit, Förderung und Terminen</h1>
<p class="lead">Der KDLZ-Bot hilft Beschäftigten der hessischen Städte, Gemeinden und Landkreise.
Er beantwortet Fragen aus einer Wissensbasis mit Quellenangaben, prüft in einem geführten Dialog,
ob Ihre Kommune für ein Unterstützungs- oder Förderangebot in Frage kommt, und vereinbart Termine
mit dem Kommunalen Dienstleistungszentrum Cybersicherheit (KDLZ CS).</p>

<section aria-labelledby="was-kann">
  <h2 id="was-kann">Was Sie den KDLZ-Bot fragen können</h2>
  <ul>
    <li>Welche Unterstützung bietet das KDLZ CS für unsere Kommune?</li>
    <li>Wird interkommunale Zusammenarbeit im IT-Bereich gefördert, und unter welchen Bedingungen?</li>
    <li>Ich möchte einen Beratungstermin vereinbaren.</li>
  </ul>
  <p>Öffnen Sie den Chat mit der Schaltfläche „Chat mit dem KDLZ-Bot öffnen“ unten rechts.
  Der Chat ist vollständig mit der Tastatur bedienbar.</p>
</section>

<section aria-labelledby="hinweise">
  <h2 id="hinweise">Gut zu wissen</h2>
  <p>Der KDLZ-Bot ist ein Assistent, keine Behörde: Verbindliche Auskünfte erhalten Sie von den
  zuständigen Stellen, auf die der Bot in seinen Antworten verweist. Geben Sie im Chat bitte keine
  vertraulichen Informationen über Sicherheitsvorfälle ein.</p>
  <p>Wie der Chat mit Ihren Daten umgeht, steht in den <a href="${opts.privacyUrl}">Datenschutzhinweisen</a>.</p>
</section>

<section aria-labelledby="einbinden">
  <h2 id="einbinden">Für Betreiber: den Chat in ein Portal einbinden</h2>
  <p>Diese Seite bindet den Chat mit einer einzigen Zeile ein:</p>
  <pre><code>&lt;script src="https://IHR-SERVER/widget.js" data-token-url="https://IHR-PORTAL/api/webchat/token" data-primary-color="${PORTAL_PRIMARY_COLOR}" data-title="KDLZ-Bot" defer&gt;&lt;/script&gt;</code></pre>
</section>`;
  const widget = html`<script src="/widget.js" data-token-url="/api/webchat/token" data-primary-color="${PORTAL_PRIMARY_COLOR}" data-title="KDLZ-Bot" data-privacy-url="${opts.privacyUrl}" defer></script>`;
  return page({ title: 'Startseite', path: '/', main, bodyEnd: raw(widget.html) });
}
