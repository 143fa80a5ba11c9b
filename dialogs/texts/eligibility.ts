/** German texts of the eligibility check (EligibilityDialog and its result card), reviewed as a whole. */

export type Slot =
  | 'savedKommune'
  | 'kommune'
  | 'programme'
  | 'partners'
  | 'allPartnersHessian'
  | 'durationYears'
  | 'savingsPercent'
  | 'stage'
  | 'stage1Done'
  | 'recommendationsImplemented';

const yesNo = ['Ja', 'Nein', 'Weiß nicht'];

export const eligibilityTexts = {
  /** Questions, with the buttons offered as suggested actions. */
  ask: {
    savedKommune: (name: string) => ({ text: `Geht es um **${name}**?`, actions: [`Ja, ${name}`, 'Andere Kommune'] }),
    kommune: { text: 'Für welche Kommune möchten Sie das prüfen? Nennen Sie den Namen oder den Amtlichen Gemeindeschlüssel.', actions: [] as string[] },
    programme: { text: 'Was möchten Sie prüfen?', actions: ['KDLZ-CS (Sicherheitsprüfung)', 'IKZ-Förderung'] },
    partners: { text: 'Wie viele Kommunen arbeiten zusammen – Ihre eingeschlossen?', actions: ['2', '3', '4 oder mehr'] },
    allPartnersHessian: { text: 'Sind alle Partner hessische Kommunen?', actions: yesNo },
    durationYears: { text: 'Auf wie viele Jahre ist die Zusammenarbeit angelegt?', actions: ['unbefristet', '5 Jahre', '3 Jahre', 'Weiß nicht'] },
    savingsPercent: { text: 'Wie viel Prozent der Personal- und Sachkosten spart die Zusammenarbeit pro Jahr voraussichtlich?', actions: ['15 %', '10 %', 'Weiß nicht'] },
    stage: { text: 'Welche Stufe des Moduls „Sichere Kommunalnetze Hessen“ meinen Sie?', actions: ['Stufe 1: Vor-Ort-Bewertung', 'Stufe 2: Stresstest'] },
    stage1Done: { text: 'Ist die Vor-Ort-Bewertung (Stufe 1) bei Ihnen abgeschlossen?', actions: yesNo },
    recommendationsImplemented: { text: 'Haben Sie die Empfehlungen aus Stufe 1 umgesetzt?', actions: yesNo },
  },
  /** Re-prompts: why the answer did not fit, and what would. */
  retry: {
    savedKommune: (name: string) => `Bitte antworten Sie mit „Ja“ für ${name}, „Andere Kommune“ oder nennen Sie gleich den Namen.`,
    kommuneEmpty: 'Bitte nennen Sie den Namen Ihrer Kommune, z. B. „Buseck“ oder „Landkreis Gießen“.',
    kommuneNotFound: (input: string) =>
      `„${input}“ finde ich nicht im Gemeindeverzeichnis für Hessen. Bitte prüfen Sie die Schreibweise oder nennen Sie den Amtlichen Gemeindeschlüssel (8 Ziffern, beginnt mit 06).`,
    kommuneSuggest: (input: string) => `„${input}“ finde ich nicht im Gemeindeverzeichnis für Hessen. Meinten Sie eine davon?`,
    whichKommune: (input: string) => `Bitte wählen Sie, welches „${input}“ Sie meinen – per Schaltfläche, Nummer oder z. B. „die Stadt“, „der Landkreis“, „die im …“ – oder „Andere Kommune“.`,
    otherSlot: 'Das klingt nach der Antwort auf eine andere Frage.',
    ambiguous: (input: string) => `„${input}“ gibt es mehrmals in Hessen. Welche Kommune meinen Sie?`,
    outsideHessen: (input: string, land?: string) =>
      `${input} liegt nicht in Hessen${land ? ` (${land})` : ''}. Der KDLZ-Bot und die Programme, die er prüft, sind nur für hessische Städte, Gemeinden und Landkreise. ` +
      'Bitte wenden Sie sich an die Stellen Ihres Bundeslandes. Wenn Sie für eine hessische Kommune fragen, nennen Sie bitte deren Namen.',
    programme: 'Bitte wählen Sie „KDLZ-CS“ (kostenlose Sicherheitsprüfung) oder „IKZ-Förderung“ (Förderung interkommunaler Zusammenarbeit).',
    partners: 'Bitte nennen Sie die Zahl der beteiligten Kommunen (Ihre eingeschlossen), z. B. „3“ oder „wir sind zu dritt“ – oder „weiß nicht“.',
    yesNo: 'Bitte antworten Sie mit „Ja“, „Nein“ oder „Weiß nicht“.',
    durationYears: 'Bitte nennen Sie die Dauer in Jahren, z. B. „5“, oder „unbefristet“ – oder „weiß nicht“.',
    savingsPercent: 'Bitte nennen Sie eine Zahl zwischen 0 und 100, z. B. „15“ oder „14,9“ – oder „weiß nicht“.',
    stage: 'Bitte wählen Sie „Stufe 1“ (Vor-Ort-Bewertung) oder „Stufe 2“ (Stresstest).',
    staleCard: 'Diese Schaltfläche gehört zu einer früheren Frage. Bitte beantworten Sie die aktuelle Frage:',
  },
  /** "hilfe" at a step: what the question is for and the commands. */
  help: {
    savedKommune: 'Ich habe mir Ihre Kommune vom letzten Mal gemerkt. Mit „Ja“ prüfe ich für sie, mit „Andere Kommune“ nennen Sie eine andere.',
    kommune: 'Ich suche die Kommune im amtlichen Gemeindeverzeichnis für Hessen. Sie können den Namen (auch ohne Umlaute, z. B. „Moerfelden“), „Landkreis …“ oder den 8-stelligen Amtlichen Gemeindeschlüssel eingeben. Für einen Zweckverband schreiben Sie „Zweckverband“ und seinen Namen.',
    programme: '„KDLZ-CS“: kostenlose Prüfung der IT-Sicherheit vor Ort durch das Kommunale Dienstleistungszentrum Cybersicherheit. „IKZ-Förderung“: Zuweisungen des Landes für dauerhafte Zusammenarbeit mehrerer Kommunen.',
    partners: 'Gefördert wird in der Regel die Zusammenarbeit von mindestens drei Kommunen, zwei nur in begründeten Ausnahmefällen. Zählen Sie Ihre Kommune mit.',
    allPartnersHessian: 'Die IKZ-Förderung des Landes gilt für die Zusammenarbeit hessischer Kommunen (Gemeinden, Städte, Landkreise und ihre Verbände).',
    durationYears: 'Die Zusammenarbeit muss auf Dauer angelegt sein, mindestens fünf Jahre.',
    savingsPercent: 'Die Personal- und Sachkosten in den betroffenen Aufgaben sollen um mindestens 15 % pro Jahr sinken. Eine Schätzung genügt für diese Prüfung.',
    stage: 'Stufe 1: Fachleute bewerten Ihre IT vor Ort und geben Empfehlungen. Stufe 2: externer Stresstest – erst nach Stufe 1 und Umsetzung der Empfehlungen.',
    stage1Done: 'Der Stresstest (Stufe 2) setzt eine abgeschlossene Vor-Ort-Bewertung (Stufe 1) voraus.',
    recommendationsImplemented: 'Der Stresstest (Stufe 2) setzt voraus, dass die Empfehlungen aus Stufe 1 umgesetzt sind.',
    commands: 'Sie können jederzeit „zurück“, „neu starten“ oder „abbrechen“ schreiben.',
  } satisfies Record<Slot | 'commands', string>,
  atStart: 'Wir sind schon bei der ersten Frage.',
  otherKommune: 'Andere Kommune',
  restarted: 'Gut, wir beginnen die Prüfung von vorn.',
  cancelled: 'In Ordnung, ich habe die Prüfung abgebrochen. Wie kann ich sonst helfen?',
  /** How a candidate is shown in a question back: the district tells same-named places apart. */
  candidateLabel: (shortName: string, kindLabel?: string, district?: string) =>
    !kindLabel ? shortName : district ? `${shortName} – ${kindLabel} im ${district}` : `${shortName} – ${kindLabel}`,
  /** Result card and message. */
  result: {
    summary: {
      eligible: (name: string, programme: string) => `Ergebnis für ${name}: Ja – ${programme} ist nach den hinterlegten Regeln möglich.`,
      'not-eligible': (name: string, programme: string) => `Ergebnis für ${name}: Nein – die Regeln für ${programme} sind nicht erfüllt.`,
      'needs-review': (name: string, programme: string) => `Ergebnis für ${name}: Offen – ${programme} muss im Einzelfall geprüft werden.`,
    },
    outcome: {
      eligible: 'Ja, nach den hinterlegten Regeln möglich',
      'not-eligible': 'Nein, die Regeln sind nicht erfüllt',
      'needs-review': 'Offen – bitte im Einzelfall klären',
    },
    kommune: 'Kommune',
    kind: 'Art',
    district: 'Kreis',
    population: 'Einwohner',
    populationValue: (population: string, date: string) => `${population} (Stand ${date})`,
    populationSource: (source: string) => `Einwohnerzahl: ${source}`,
    reasonsTitle: 'Gründe',
    met: { true: '✔', false: '✘', null: '?' },
    grantTitle: 'Übliche Förderung',
    grantValue: (amount: string, text: string) => `${amount} € – ${text}`,
    validityTitle: 'Gültigkeit der Regeln',
    notesTitle: 'Hinweise',
    nextStepTitle: 'Nächster Schritt',
    sourcesTitle: 'Quellen',
    sourceLine: (name: string, url: string, asOf: string) => `[${name}](${url}) – Stand: ${asOf}`,
    bookAction: 'Termin vereinbaren',
    ikzAction: 'IKZ-Förderung prüfen',
    kdlzAction: 'KDLZ-CS prüfen',
    assumedStage1: (name: string) => `Geprüft für Stufe 1 (Vor-Ort-Bewertung). Für den Stresstest fragen Sie: „Kann ${name} den Stresstest machen?“`,
  },
};
