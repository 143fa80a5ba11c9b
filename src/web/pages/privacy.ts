/**
 * "/datenschutz": what the chat does with data, stated from the running configuration so the
 * page cannot drift from what the service really does. Facts about the operator (name,
 * address, data protection officer) are not known to the software: the page says so instead
 * of inventing them.
 */
import type { Config } from '../../config';
import { html, page, safeHref } from './html';
import { contactParagraph } from './contact';

export type PrivacyConfig = Pick<
  Config,
  'CONTACT_EMAIL' | 'PRIVACY_URL' | 'DIRECT_LINE_CONVERSATION_TTL_HOURS' | 'CONTACT_RETENTION_DAYS' | 'LLM_PROVIDER' | 'LOG_MESSAGE_TEXT'
>;

const llmNames: Record<string, string> = {
  'azure-openai': 'Azure OpenAI',
  openai: 'ein OpenAI-kompatibler Dienst',
  ollama: 'ein vom Betreiber selbst betriebenes Ollama-Modell',
};

export function renderPrivacyPage(config: PrivacyConfig): string {
  const operatorNotice = safeHref(config.PRIVACY_URL);
  const main = html`
<h1>Datenschutzhinweise zum KDLZ-Bot</h1>
<p>Diese Hinweise beschreiben, welche Daten der Chat verarbeitet, wenn Sie ihn auf dieser Seite nutzen.</p>
${operatorNotice ? html`<p>Die vollständige Datenschutzerklärung des Betreibers finden Sie unter <a href="${operatorNotice}">${operatorNotice}</a>.</p>` : ''}

<h2>Verantwortlich und Kontakt</h2>
${contactParagraph(config.CONTACT_EMAIL, 'Fragen zum Datenschutz')}

<h2>Welche Daten verarbeitet werden</h2>
<ul>
  <li>Der Text Ihrer Nachrichten und Ihre Auswahl in Karten und Schaltflächen, damit der Bot antworten kann.</li>
  <li>Eine zufällige Gesprächskennung und ein kurzlebiges Zugangstoken. Ihr Name oder Ihre Anmeldung werden im Web-Chat nicht abgefragt.</li>
  <li>Wenn Sie einen Termin buchen: die Angaben, die Sie dafür eingeben (zum Beispiel Name, Kommune, E-Mail-Adresse).</li>
</ul>

<h2>Wie lange die Daten gespeichert werden</h2>
<ul>
  <li>Gesprächsverläufe des Web-Chats werden nach ${config.DIRECT_LINE_CONVERSATION_TTL_HOURS} Stunden gelöscht.</li>
  <li>Kontaktdaten aus Terminbuchungen werden nach ${config.CONTACT_RETENTION_DAYS} Tagen gelöscht.</li>
  <li>${config.LOG_MESSAGE_TEXT
    ? 'Achtung: In dieser Installation werden die Texte Ihrer Nachrichten zur Fehlersuche in die Protokolle des Servers geschrieben.'
    : 'Die Texte Ihrer Nachrichten werden nicht in die Protokolle des Servers geschrieben.'}</li>
</ul>

<h2>Was in Ihrem Browser gespeichert wird</h2>
<p>Der Chat legt keine Cookies an und lädt keine Inhalte von fremden Servern. Damit ein
Neuladen der Seite das Gespräch nicht abbricht, speichert er die Gesprächskennung und das
Zugangstoken im Sitzungsspeicher (sessionStorage) Ihres Browsers. Der Eintrag verschwindet, wenn
Sie den Browser schließen oder im Chat „Neues Gespräch“ wählen.</p>

<h2>Sprachmodell</h2>
<p>${config.LLM_PROVIDER
    ? `Antworten können mit Hilfe eines Sprachmodells formuliert werden. Dazu werden Ihre Frage und passende Auszüge aus der Wissensbasis an ${llmNames[config.LLM_PROVIDER] ?? 'den konfigurierten Dienst'} übermittelt.`
    : 'In dieser Installation ist kein Sprachmodell eingeschaltet. Antworten werden ausschließlich aus der Wissensbasis auf diesem Server zusammengestellt.'}</p>

<h2>Ihre Rechte</h2>
<p>Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Einschränkung der Verarbeitung
Ihrer Daten (Art. 15 bis 18 DSGVO) sowie das Recht, sich bei einer Datenschutz-Aufsichtsbehörde
zu beschweren. Für öffentliche Stellen in Hessen ist das der Hessische Beauftragte für
Datenschutz und Informationsfreiheit (<a href="https://datenschutz.hessen.de">datenschutz.hessen.de</a>).</p>`;
  return page({ title: 'Datenschutz', path: '/datenschutz', main });
}
