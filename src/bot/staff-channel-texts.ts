import { mainTexts } from '../../dialogs/texts/main';

/** German texts of the staff-channel command ("Benachrichtigungen hier"). */
export const staffChannelTexts = {
  done: 'Alles klar: Buchungsbenachrichtigungen des KDLZ kommen ab jetzt in diesen Kanal.',
  /** The same sentence MainDialog says when the command reaches it outside Teams. */
  onlyInTeamsChannel: mainTexts.notifyHereOnlyInTeams,
  notConfigured:
    'Für Buchungsbenachrichtigungen ist noch kein Team freigegeben. Die Administration des KDLZ-Bots legt das Team oder die berechtigten Personen in der Konfiguration fest; bis dahin ändere ich das Ziel nicht.',
  refused:
    'Das kann ich hier nicht tun: Buchungsbenachrichtigungen enthalten Kontaktdaten und gehen nur in einen Kanal des dafür freigegebenen KDLZ-Teams. Das bisherige Ziel bleibt unverändert.',
  movedAway: (by: string | undefined, at: Date) =>
    `Hinweis: Die Buchungsbenachrichtigungen des KDLZ gehen ab jetzt in einen anderen Kanal. Geändert ${by ? `von ${by} ` : ''}am ${at.toLocaleString('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' })} Uhr. Wenn das nicht gewollt war, senden Sie hier „Benachrichtigungen hier“ (mit @KDLZ-Bot).`,
};
