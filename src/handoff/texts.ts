import { DateTime } from 'luxon';
import { ZONE } from './hours';

/** "Montag, 08.06., ab 08:00 Uhr" (Berlin time). */
export function formatCallbackFrom(ms: number, nowMs: number): string {
  const t = DateTime.fromMillis(ms, { zone: ZONE }).setLocale('de');
  const today = DateTime.fromMillis(nowMs, { zone: ZONE }).startOf('day');
  const days = Math.round(t.startOf('day').diff(today, 'days').days);
  const day = days === 0 ? 'heute' : days === 1 ? 'morgen' : t.toFormat('cccc, dd.LL.');
  return `${day} ab ${t.toFormat('HH:mm')} Uhr`;
}

export const CHANNEL_NAMES: Record<string, string> = { msteams: 'Microsoft Teams', directline: 'Web-Chat', webchat: 'Web-Chat', emulator: 'Emulator' };

/** Every German word of the handoff feature: the dialog, messages to the user, and the staff card. */
export const handoffTexts = {
  // The dialog.
  consent: (o: { live: boolean; callbackFrom?: string; retentionDays: number }) =>
    [
      o.live
        ? 'Gern verbinde ich Sie mit dem Team des KDLZ CS.'
        : `Das Team des KDLZ CS ist gerade nicht erreichbar. Ich kann eine **Rückrufanfrage** aufnehmen${o.callbackFrom ? `; das Team meldet sich ${o.callbackFrom}` : ''}.`,
      '',
      '**Bevor etwas weitergegeben wird:** Ich übermittle dem KDLZ-Team Ihre Kommune, Ihr Anliegen, freiwillige Kontaktdaten und die letzten Nachrichten dieses Gesprächs – damit Ihnen eine Person weiterhelfen kann, ohne dass Sie alles wiederholen müssen.',
      `Gespeichert wird das ${o.retentionDays} Tage nach der letzten Nachricht und dann gelöscht; mit „Meine Daten löschen“ sofort.`,
      '',
      'Sind Sie damit einverstanden?',
    ].join('\n'),
  consentActions: ['Ja, weitergeben', 'Nein'],
  consentRetry: 'Bitte antworten Sie mit „Ja, weitergeben“ oder „Nein“.',
  refused: 'In Ordnung – ich gebe nichts weiter und habe nichts dazu gespeichert. Sie können mir weiter Fragen stellen.',
  cancelled: 'Die Anfrage wurde nicht gesendet; dazu ist nichts gespeichert. Sie können mir weiter Fragen stellen.',
  askKommune: 'Für welche Kommune fragen Sie? (Name der Stadt, Gemeinde oder des Landkreises)',
  askKommuneSaved: (name: string) => `Für welche Kommune fragen Sie? Zuletzt war es ${name}.`,
  kommuneRetry: 'Bitte nennen Sie den Namen der Kommune, z. B. „Buseck“ oder „Landkreis Gießen“.',
  kommuneAmbiguous: (names: string[]) => `Diesen Namen gibt es mehrmals. Welche Kommune meinen Sie? ${names.join(' · ')}`,
  askTopic: 'Worum geht es? Bitte in einem Satz, z. B. „Verdacht auf Phishing-Mail im Rathaus“.',
  topicRetry: 'Bitte beschreiben Sie Ihr Anliegen in einem kurzen Satz (mindestens ein paar Wörter, höchstens 300 Zeichen).',
  askContact: (live: boolean) =>
    live
      ? 'Möchten Sie Kontaktdaten angeben (Name, Telefon oder E-Mail)? Das ist **freiwillig** – das Team antwortet Ihnen auch hier im Chat.'
      : 'Möchten Sie Kontaktdaten für den Rückruf angeben (Name, Telefon oder E-Mail)? Das ist **freiwillig** – ohne sie meldet sich das Team hier im Chat, sofern das Gespräch dann noch besteht.',
  noContact: 'Ohne Kontaktdaten',
  contactRetry: 'Bitte geben Sie Ihre Kontaktdaten in einer Nachricht an (höchstens 300 Zeichen) oder wählen Sie „Ohne Kontaktdaten“.',
  sentLive:
    'Ich habe Ihre Anfrage an das KDLZ-Team gegeben. Sobald jemand sie übernimmt, schreibt die Person Ihnen **hier im Chat**. Bis dahin gehen Ihre Nachrichten an das Team. Mit „zurück zum Bot“ beenden Sie das jederzeit.',
  sentCallback: (when?: string) =>
    `Ihre **Rückrufanfrage** ist beim KDLZ-Team eingegangen. ${when ? `Das Team meldet sich ${when}.` : 'Das Team meldet sich, sobald es wieder erreichbar ist.'} Sie können mir bis dahin weiter Fragen stellen.`,

  // While connected.
  backToBotCommands: ['zurueck zum bot', 'zurueck zum kdlz bot', 'zum bot', 'back to bot', 'back to the bot', 'gespraech beenden'],
  backToBot: 'Sie schreiben wieder mit dem KDLZ-Bot. Das Gespräch mit dem Team ist beendet.',
  waitingNote: 'Ihre Nachricht ist beim KDLZ-Team notiert. Noch ist niemand verbunden – sobald jemand übernimmt, antwortet die Person hier. („zurück zum Bot“ beendet das Warten.)',
  taken: (name: string) => `${name} vom KDLZ-Team ist jetzt für Sie da und antwortet hier im Chat.`,
  staffLine: (name: string, text: string) => `**KDLZ-Team (${name}):** ${text}`,
  closedByStaff: (name?: string) =>
    `${name ? `${name} hat` : 'Das KDLZ-Team hat'} das Gespräch beendet. Sie schreiben wieder mit dem KDLZ-Bot.`,
  timedOut: (when?: string) =>
    `Gerade konnte niemand aus dem KDLZ-Team Ihre Anfrage übernehmen. Sie ist jetzt eine **Rückrufanfrage**${when ? `; das Team meldet sich ${when}` : ''}. Sie schreiben wieder mit dem KDLZ-Bot.`,

  // Offered by the bot.
  offerAction: 'Mit dem KDLZ-Team sprechen',

  // The staff card and thread.
  card: {
    titleLive: 'Anfrage: Person möchte mit dem KDLZ-Team sprechen',
    titleCallback: 'Rückrufanfrage an das KDLZ-Team',
    kommune: 'Kommune',
    topic: 'Anliegen',
    channel: 'Kanal',
    received: 'Eingang',
    waiting: 'Wartezeit',
    contact: 'Kontakt',
    status: 'Status',
    callbackFrom: 'Rückruf ab',
    lastTurns: 'Letzte Nachrichten',
    none: '–',
    roles: { user: 'Person', bot: 'Bot', staff: 'Team' } as Record<string, string>,
    statusText: {
      waiting: 'wartet auf Übernahme',
      active: 'im Gespräch',
      callback: 'Rückruf offen',
      closed: 'geschlossen',
    } as Record<string, string>,
    takenBy: (name: string) => `Übernommen von ${name}`,
    take: 'Übernehmen',
    callbackDone: 'Rückruf erledigt',
    close: 'Gespräch beenden',
    erased: 'Diese Anfrage wurde auf Wunsch der Person gelöscht.',
    threadHint: 'Antworten der übernehmenden Person in diesem Thread gehen an die Nutzerin oder den Nutzer.',
    minutes: (m: number) => (m < 1 ? 'unter 1 Minute' : m === 1 ? '1 Minute' : m < 120 ? `${m} Minuten` : `${Math.floor(m / 60)} Stunden`),
  },
  thread: {
    alreadyTaken: (name: string) => `Diese Anfrage hat bereits ${name} übernommen.`,
    notOpen: 'Diese Anfrage ist nicht mehr offen.',
    onlyOwner: (name: string) => `Nur ${name} (übernommen) antwortet der Person; Ihre Nachricht wurde nicht weitergeleitet.`,
    notLive: 'Die Person ist nicht mehr im Chat verbunden; Ihre Nachricht wurde nicht weitergeleitet.',
    notDelivered: 'Die Nachricht ist gespeichert, konnte der Person aber nicht zugestellt werden (Gespräch nicht mehr erreichbar).',
    userLine: (text: string) => `**Person:** ${text}`,
    userLeft: 'Die Person hat das Gespräch verlassen („zurück zum Bot“).',
    closed: (name?: string) => `Geschlossen${name ? ` von ${name}` : ''}.`,
    callbackDone: (name: string) => `Rückruf erledigt (${name}).`,
    timedOut: 'Niemand hat rechtzeitig übernommen: jetzt Rückrufanfrage.',
  },
} as const;
