/** German texts of booking, "Meine Termine" and "Meine Daten löschen", reviewed as a whole. */

export type BookingSlot =
  | 'savedKommune'
  | 'kommune'
  | 'type'
  | 'when'
  | 'slot'
  | 'privacy'
  | 'name'
  | 'role'
  | 'email'
  | 'phone'
  | 'summary';

export type ManageSlot = 'reference' | 'email' | 'choose' | 'action' | 'confirmCancel' | 'when' | 'slot' | 'confirmReschedule';

const commands = 'Jederzeit möglich: „zurück“ (vorige Frage), „abbrechen“ (nichts wird gebucht), „hilfe“.';

export const bookingTexts = {
  commands,
  ask: {
    savedKommune: (name: string) => ({ text: `Möchten Sie einen Termin für **${name}** vereinbaren?`, actions: [`Ja, ${name}`, 'Andere Kommune'] }),
    kommune: 'Für welche Kommune möchten Sie einen Termin vereinbaren? Nennen Sie den Namen oder den Amtlichen Gemeindeschlüssel.',
    type: 'Welche Art von Termin brauchen Sie?',
    when: 'Wann passt es Ihnen? Nennen Sie eine Woche oder einen Tag, z. B. „nächste Woche“, „in zwei Wochen“, „KW 25“, „15.06.“ oder „Dienstag nachmittag“.',
    whenActions: ['Nächste Woche', 'Übernächste Woche', 'Nächster freier Termin'],
    slot: (range: string) => `Diese Termine sind ${range} frei. Bitte wählen Sie einen (Schaltfläche, Nummer, Tag oder Uhrzeit):`,
    otherWeek: 'Andere Woche',
    privacy: (retentionDays: number, privacyUrl?: string) =>
      [
        '**Bevor ich Kontaktdaten speichere – Hinweis zum Datenschutz:**',
        '- **Was:** Name, Funktion, E-Mail-Adresse und Telefonnummer der Ansprechperson, dazu Kommune und Termin.',
        '- **Wozu:** um den Termin zu bestätigen, vorzubereiten, an ihn zu erinnern und für Rückfragen.',
        `- **Wie lange:** bis ${retentionDays} Tage nach dem Termin; danach werden die Kontaktdaten automatisch gelöscht. Vorher jederzeit mit „Meine Daten löschen“.`,
        '- **Wer sieht sie:** das Team des KDLZ CS (Beratung und Terminplanung) und die Betreiber dieses Dienstes. Die Bestätigung geht per E-Mail an Sie und an die Beratung.',
        ...(privacyUrl ? [`- Mehr dazu: ${privacyUrl}`] : []),
        '',
        'Sind Sie einverstanden?',
      ].join('\n'),
    privacyActions: ['Ja, einverstanden', 'Nein'],
    name: 'Wie heißt die Ansprechperson (Vor- und Nachname)?',
    role: 'Welche Funktion hat sie in der Verwaltung (z. B. „IT-Leitung“ oder „Hauptamt“)?',
    email: 'Unter welcher E-Mail-Adresse erreichen wir sie?',
    phone: 'Und unter welcher Telefonnummer?',
    summary: 'Bitte prüfen Sie die Angaben. Soll ich den Termin verbindlich buchen?',
    summaryActions: ['Verbindlich buchen', 'Abbrechen'],
  },
  retry: {
    savedKommune: (name: string) => `Bitte antworten Sie mit „Ja“ für ${name} oder „Andere Kommune“ – oder nennen Sie gleich den Namen.`,
    kommuneNotFound: (input: string) =>
      `„${input}“ finde ich nicht im Gemeindeverzeichnis für Hessen. Bitte prüfen Sie die Schreibweise oder nennen Sie den Amtlichen Gemeindeschlüssel (8 Ziffern, beginnt mit 06).`,
    kommuneSuggest: (input: string) => `„${input}“ finde ich nicht genau so. Meinten Sie eine davon?`,
    ambiguous: (input: string) => `„${input}“ gibt es mehrmals in Hessen. Welche Kommune meinen Sie?`,
    outsideHessen: (input: string) => `${input} liegt nicht in Hessen. Termine mit dem KDLZ CS gibt es nur für hessische Kommunen. Bitte nennen Sie eine hessische Kommune.`,
    type: 'Bitte wählen Sie eine der angebotenen Terminarten (Schaltfläche, Nummer oder ihr Name, z. B. „die Online-Beratung“).',
    when: 'Das habe ich nicht als Woche oder Tag erkannt. Beispiele: „nächste Woche“, „in zwei Wochen“, „KW 25“, „15.06.“, „Mitte Januar“, „Dienstag nachmittag“ oder „nächster freier Termin“.',
    whenOutside: (first: string, last: string) => `Termine gibt es vom ${first} bis zum ${last}. Bitte wählen Sie eine Woche oder einen Tag in diesem Zeitraum.`,
    slot: (n: number) => `Bitte wählen Sie einen der angezeigten Termine (Nummer 1 bis ${n}, oder Tag und Uhrzeit, z. B. „Dienstag 13:00“) oder „${bookingTexts.ask.otherWeek}“.`,
    whichKommune: (input: string) => `Bitte wählen Sie, welches „${input}“ Sie meinen – per Schaltfläche, Nummer oder z. B. „die Stadt“, „der Landkreis“ – oder „Andere Kommune“.`,
    privacy: 'Bitte antworten Sie mit „Ja“ oder „Nein“.',
    name: 'Bitte nennen Sie Vor- und Nachnamen der Ansprechperson, z. B. „Erika Mustermann“.',
    role: 'Bitte nennen Sie die Funktion in Worten, z. B. „IT-Leitung“ oder „Sachbearbeitung Hauptamt“.',
    email: 'Das sieht nicht nach einer E-Mail-Adresse aus. Beispiel: vorname.nachname@gemeinde.example',
    phone: 'Das sieht nicht nach einer Telefonnummer aus. Bitte mit Vorwahl, z. B. 0123 456789 oder +49 123 456789.',
    summary: 'Bitte antworten Sie mit „Verbindlich buchen“ (oder „ja“) oder „abbrechen“. Mit „zurück“ ändern Sie die letzte Angabe.',
    staleCard: 'Diese Auswahl ist nicht mehr aktuell. Bitte beantworten Sie die aktuelle Frage:',
  },
  help: {
    savedKommune: 'Ich habe mir Ihre Kommune gemerkt. Mit „Ja“ buche ich für sie, mit „Andere Kommune“ nennen Sie eine andere.',
    kommune: 'Nennen Sie den Namen Ihrer Stadt, Gemeinde oder Ihres Landkreises in Hessen, oder den 8-stelligen Amtlichen Gemeindeschlüssel.',
    type: 'Vor-Ort-Termine finden bei Ihnen in der Verwaltung statt, Online-Termine per Videokonferenz. Angeboten werden nur die Terminarten, die Ihre Kommune buchen kann.',
    when: 'Ich suche freie Termine in der genannten Woche oder an dem Tag. Wochenenden und hessische Feiertage werden nie angeboten.',
    slot: 'Wählen Sie einen Termin. Ich halte ihn dann einige Minuten für Sie frei, während Sie die Kontaktdaten eingeben.',
    privacy: 'Ohne Kontaktdaten kann das KDLZ-Team den Termin nicht bestätigen oder Rückfragen stellen. Wenn Sie nicht einverstanden sind, wird nichts gespeichert.',
    name: 'Die Ansprechperson ist, wer den Termin in der Kommune betreut – das können Sie selbst sein.',
    role: 'Die Funktion hilft der Beratung, sich vorzubereiten.',
    email: 'An diese Adresse schicken wir die Bestätigung mit Kalendereinladung.',
    phone: 'Für kurzfristige Rückfragen, z. B. wenn sich die Anreise verzögert.',
    summary: 'Mit „Verbindlich buchen“ wird der Termin fest gebucht. Sie können ihn später unter „Meine Termine“ verschieben oder absagen.',
  } satisfies Record<BookingSlot, string>,
  noTypes: (name: string) =>
    `Für ${name} kann ich im Moment keine Termine anbieten – entweder deckt keine Beratung die Region ab oder die Angebote stehen Ihrer Kommune nicht offen. Die Förderprüfung („Förderfähigkeit prüfen“) sagt Ihnen, welche Programme passen.`,
  noSlotsInRange: (range: string) => `${range} ist leider nichts mehr frei.`,
  noSlotsAtAll: 'Im buchbaren Zeitraum ist leider kein Termin mehr frei. Bitte versuchen Sie es später noch einmal.',
  slotTaken: 'Dieser Termin ist gerade vergeben – jemand anderes war schneller. Hier sind die aktuell freien Termine:',
  cancelled: 'In Ordnung, ich habe die Buchung abgebrochen. Es wurde nichts gebucht und keine Kontaktdaten gespeichert.',
  privacyDeclined: 'Verstanden. Ohne Kontaktdaten kann ich keinen Termin buchen; es wurde nichts gespeichert.',
  restarted: 'Gut, wir fangen von vorn an.',
  atStart: 'Wir sind schon bei der ersten Frage.',
  booked: (reference: string, when: string, email: string) =>
    `**Ihr Termin ist gebucht.** Buchungsnummer: **${reference}**, ${when}. Die Bestätigung mit Kalendereinladung geht an ${email}. Ändern oder absagen können Sie unter „Meine Termine“.`,
  summaryFacts: {
    kommune: 'Kommune',
    type: 'Termin',
    when: 'Wann',
    where: 'Wo',
    contact: 'Ansprechperson',
    email: 'E-Mail',
    phone: 'Telefon',
    reference: 'Buchungsnummer',
    status: 'Status',
  },
  status: { confirmed: 'gebucht', cancelled: 'abgesagt', held: 'reserviert', expired: 'verfallen' } as Record<string, string>,
  otherKommune: 'Andere Kommune',
  confirmButton: 'Verbindlich buchen',
  icsName: (reference: string) => `${reference}.ics`,
};

export const manageTexts = {
  askReference: 'Wie lautet die Buchungsnummer (z. B. KDLZ-2026-7KQ3MZ)?',
  askEmail: 'Und mit welcher E-Mail-Adresse wurde gebucht?',
  badReference: 'Eine Buchungsnummer sieht so aus: KDLZ-2026-7KQ3MZ. Bitte geben Sie sie noch einmal ein.',
  badEmail: 'Das sieht nicht nach einer E-Mail-Adresse aus. Beispiel: vorname.nachname@gemeinde.example',
  /** The same answer for unknown references and wrong e-mail addresses, by design. */
  notFound: 'Zu dieser Buchungsnummer und E-Mail-Adresse habe ich keinen Termin gefunden. Bitte prüfen Sie beide Angaben (sie stehen in der Bestätigungs-E-Mail).',
  none: 'Sie haben keine anstehenden Termine. Mit „Termin vereinbaren“ buchen Sie einen.',
  list: (n: number) => (n === 1 ? 'Ihr anstehender Termin:' : `Ihre ${n} anstehenden Termine:`),
  chooseBooking: 'Welchen Termin möchten Sie ändern? (Nummer oder Schaltfläche)',
  chooseAction: (reference: string) => `Was möchten Sie mit ${reference} tun?`,
  actions: { cancel: 'Absagen', reschedule: 'Verschieben', nothing: 'Nichts ändern' },
  retryChoose: (n: number) => `Bitte wählen Sie einen Termin (1 bis ${n}).`,
  retryAction: 'Bitte wählen Sie „Absagen“, „Verschieben“ oder „Nichts ändern“.',
  confirmCancel: (reference: string, when: string) => `Soll ich ${reference} am ${when} wirklich absagen?`,
  confirmCancelActions: ['Ja, absagen', 'Nein'],
  retryYesNo: 'Bitte antworten Sie mit „Ja“ oder „Nein“.',
  cancelledBooking: (reference: string) => `${reference} ist abgesagt. Das KDLZ-Team ist informiert; die Absage für Ihren Kalender hängt an.`,
  keptBooking: 'Gut, der Termin bleibt wie er ist.',
  confirmReschedule: (reference: string, from: string, to: string) => `Soll ich ${reference} vom ${from} auf ${to} verlegen?`,
  confirmRescheduleActions: ['Ja, verlegen', 'Nein'],
  keptAfterReschedule: 'Gut, der Termin bleibt wie er ist. Der gewählte neue Termin ist wieder frei.',
  cancelledAlready: (reference: string) => `${reference} ist abgesagt. Einen neuen Termin vereinbaren Sie mit „Termin vereinbaren“.`,
  pastAlready: (reference: string) => `${reference} liegt in der Vergangenheit; ändern kann ich ihn nicht mehr.`,
  rescheduled: (reference: string, when: string) => `**${reference} ist verschoben** auf ${when}. Das KDLZ-Team ist informiert; die aktualisierte Kalendereinladung hängt an.`,
  ended: 'In Ordnung, ich habe nichts geändert.',
  help: {
    reference: 'Die Buchungsnummer steht in der Bestätigung im Chat und in der Bestätigungs-E-Mail.',
    email: 'Zum Schutz Ihrer Daten zeige ich einen Termin nur zusammen mit der E-Mail-Adresse, mit der gebucht wurde.',
    choose: 'Wählen Sie den Termin, den Sie verschieben oder absagen möchten.',
    action: '„Verschieben“ sucht einen neuen freien Termin, „Absagen“ sagt den Termin ab.',
    confirmCancel: 'Mit „Ja“ sage ich den Termin ab, mit „Nein“ bleibt er bestehen.',
    confirmReschedule: 'Mit „Ja“ verlege ich den Termin auf den gewählten neuen Zeitpunkt, mit „Nein“ bleibt er, wie er ist.',
    when: bookingTexts.help.when,
    slot: 'Wählen Sie den neuen Termin; der alte wird dabei freigegeben.',
  } satisfies Record<ManageSlot, string>,
};

export const deleteTexts = {
  explain: (bookings: number) =>
    [
      'Ich lösche dann, was ich über Sie gespeichert habe:',
      '- Ihre gemerkte Kommune und Ihre gemerkten Buchungsnummern,',
      `- die Kontaktdaten (Name, Funktion, E-Mail, Telefon) in ${bookings === 1 ? 'Ihrer Buchung' : `Ihren ${bookings} Buchungen`},`,
      '- den gespeicherten Verlauf und Zustand dieses Gesprächs, Ihre Bewertungen von Antworten und gespeicherte Fragen, die Ihre E-Mail-Adresse enthalten.',
      '',
      'Die Termine selbst bleiben für das KDLZ-Team bestehen, aber ohne Ansprechperson. Wenn Sie einen Termin nicht mehr brauchen, sagen Sie ihn bitte vorher unter „Meine Termine“ ab.',
      '',
      'Jetzt löschen?',
    ].join('\n'),
  actions: ['Ja, löschen', 'Nein'],
  retry: 'Bitte antworten Sie mit „Ja“ oder „Nein“.',
  done: (bookings: number) =>
    `Erledigt. Ich habe Ihre gespeicherten Angaben gelöscht${bookings ? ` und die Kontaktdaten in ${bookings === 1 ? 'einer Buchung' : `${bookings} Buchungen`} entfernt` : ''}.`,
  kept: 'In Ordnung, ich habe nichts gelöscht.',
  help: 'Mit „Ja“ lösche ich Ihre gespeicherten Angaben und die Kontaktdaten in Ihren Buchungen; mit „Nein“ bleibt alles, wie es ist.',
  incomplete:
    'Ich konnte nicht alles löschen; ein Teil ist gerade nicht erreichbar. Bitte versuchen Sie „Meine Daten löschen“ in ein paar Minuten noch einmal. Was übrig bleibt, wird spätestens nach Ablauf der Aufbewahrungsfrist automatisch gelöscht.',
  webchatHint:
    'Hinweis: Im Web-Chat erkenne ich Sie nicht wieder. Buchungen aus früheren Gesprächen finde ich nur mit Buchungsnummer und E-Mail-Adresse unter „Meine Termine“; dort können Sie sie absagen. Kontaktdaten werden spätestens nach Ablauf der Aufbewahrungsfrist automatisch gelöscht.',
};
