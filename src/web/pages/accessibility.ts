/**
 * "/barrierefreiheit": the "Erklärung zur Barrierefreiheit" BITV 2.0 requires, with the feedback
 * contact from CONTACT_EMAIL. It states only what the software itself can vouch for (how it is
 * tested); operator-specific parts are marked as missing instead of invented.
 */
import type { Config } from '../../config';
import { contactParagraph } from './contact';
import { html, page } from './html';

export function renderAccessibilityPage(config: Pick<Config, 'CONTACT_EMAIL'>): string {
  const main = html`
<h1>Erklärung zur Barrierefreiheit</h1>
<p>Diese Erklärung gilt für diese Seite und den eingebetteten Chat „KDLZ-Bot“. Öffentliche Stellen
sind nach der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) verpflichtet, ihre Websites
barrierefrei zu gestalten; Maßstab ist die WCAG 2.1 auf der Stufe AA.</p>

<h2>Stand der Vereinbarkeit</h2>
<p>Der Chat ist mit der Tastatur vollständig bedienbar, mit einem Screenreader nutzbar (neue
Nachrichten werden angesagt), bleibt bei 200 % Vergrößerung und 320 Pixel Breite vollständig
nutzbar und verzichtet auf Bewegung, wenn Ihr System „Bewegung reduzieren“ eingestellt hat.
Eine Prüfung durch Sachverständige (BITV-Test) steht noch aus. Bis dahin gilt das Angebot als
<strong>teilweise vereinbar</strong> mit den Anforderungen.</p>

<h2>Wie geprüft wird</h2>
<p>Bei jeder Änderung der Software laufen automatische Prüfungen in einem echten Browser
(Chromium): axe-core mit den Regeln für WCAG 2.0 und 2.1 der Stufen A und AA auf dieser Seite
mit geschlossenem und geöffnetem Chat, nach einem Gespräch mit Karten und bei 320 Pixel Breite,
sowie ein Durchlauf nur mit der Tastatur. Automatische Prüfungen finden nicht jede Barriere.</p>

<h2>Nicht barrierefreie Inhalte</h2>
<p>Uns sind derzeit keine Barrieren bekannt. Wenn Sie auf eine stoßen, teilen Sie es uns bitte mit.</p>

<h2>Feedback und Kontakt</h2>
<p>Sie können uns Mängel bei der Barrierefreiheit melden oder Informationen anfordern, die für
Sie nicht barrierefrei zugänglich sind.</p>
${contactParagraph(config.CONTACT_EMAIL, 'Rückmeldungen zur Barrierefreiheit')}

<h2>Durchsetzungsverfahren</h2>
<p>Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie sich an
die Durchsetzungsstelle wenden, die nach dem Landesrecht für den Betreiber dieser Installation
zuständig ist. Ihre Kontaktdaten sind in dieser Installation noch nicht hinterlegt; fragen Sie
bitte über die oben genannte Kontaktadresse nach.</p>`;
  return page({ title: 'Erklärung zur Barrierefreiheit', path: '/barrierefreiheit', main });
}
