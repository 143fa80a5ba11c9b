/**
 * The feedback contact BITV 2.0 and the GDPR require. It comes from CONTACT_EMAIL only; when the
 * operator has not set it the page says so plainly rather than showing an invented address.
 */
import { html, type RawHtml } from './html';

/** A plausible e-mail address (one @, no spaces or markup), so config cannot inject markup. */
const EMAIL = /^[^\s@<>"']+@[^\s@<>"']+\.[^\s@<>"']+$/;

export function contactParagraph(email: string | undefined, purpose: string): RawHtml {
  if (email && EMAIL.test(email)) {
    return html`<p>${purpose}: Schreiben Sie an <a href="mailto:${email}">${email}</a>.</p>`;
  }
  return html`<p class="notice"><strong>Kontaktadresse fehlt:</strong> Der Betreiber dieser Installation hat noch keine
Kontaktadresse hinterlegt. Betreiber: Bitte die Einstellung <code>CONTACT_EMAIL</code> setzen.</p>`;
}
