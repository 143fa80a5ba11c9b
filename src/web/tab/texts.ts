/**
 * Every German sentence the "Meine Termine" tab shows from script (the static ones are in
 * index.html), kept together so the wording can be reviewed as a whole.
 */
import type { TabAppointmentStatus } from './appointment';

export const tabTexts = {
  loading: 'Termine werden geladen …',
  outsideTeams:
    'Diese Seite funktioniert nur in Microsoft Teams. Öffnen Sie in Teams die App „KDLZ-Bot“ und dort den Tab „Meine Termine“.',
  signedInAs: (name: string) => `Angemeldet als ${name}`,
  none: 'Sie haben zurzeit keine Termine beim KDLZ CS.',
  count: (n: number) => (n === 1 ? 'Sie haben 1 Termin.' : `Sie haben ${n} Termine.`),
  ssoUnavailable:
    'Die Anmeldung über Teams ist nicht möglich. Bitte laden Sie den Tab neu. Bleibt der Fehler, wenden Sie sich an Ihre IT: Die Einmalanmeldung (SSO) der App ist vermutlich nicht eingerichtet.',
  notAuthorized:
    'Ihre Anmeldung wurde nicht akzeptiert. Bitte laden Sie den Tab neu. Bleibt der Fehler, wenden Sie sich an Ihre IT.',
  serverError: 'Die Termine können gerade nicht geladen werden. Bitte versuchen Sie es später noch einmal.',
  actionFailed: 'Der Chat konnte nicht geöffnet werden. Schreiben Sie dem KDLZ-Bot bitte direkt im Chat.',
  minutes: (n: number) => `${n} Minuten`,
  status: {
    confirmed: 'bestätigt',
  } satisfies Record<TabAppointmentStatus, string>,
};
