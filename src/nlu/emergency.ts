import { foldTokens, hasPhrase } from '../text/fold';

/**
 * Emergencies are recognised before anything else and must not be missed: a person whose files
 * are being encrypted needs the first-aid answer, not a booking dialog. The trained model is one
 * signal; word cues are the other, so an incident in words the model never saw still counts:
 * an incident word plus a sign that it is happening to the writer now. A question asked in
 * general, as preparation ("Was tun bei einem Hackerangriff?", "falls mal jemand klickt"), or
 * about the topic ("Wie erkennt man Ransomware?") is not an emergency.
 */

/** Word beginnings (folded) that name an incident. */
const INCIDENT_PREFIXES = [
  'gehackt', 'hacked', 'hacker', 'gehackert', 'cyberangriff', 'cyberattack', 'hackerangriff', 'angegriffen', 'angriff', 'attack', 'attacke',
  'ransomware', 'verschluesselt', 'verschluesselung', 'encrypted', 'trojaner', 'trojan', 'schadsoftware', 'malware', 'emotet', 'infiziert',
  'infected', 'loesegeld', 'ransom', 'erpress', 'kompromittiert', 'compromised', 'datenleck', 'datenabfluss', 'abgeflossen', 'gestohlen',
  'stolen', 'geklaut', 'ddos', 'defaced', 'sicherheitsvorfall', 'vorfall', 'incident', 'breach', 'eindringling', 'virus', 'viren',
  'totenkopf', 'zahlungsaufforderung', 'bitcoin', 'lahmgelegt', 'uebernommen', 'gekapert', 'darknet', 'hackerforum', 'geleakt', 'leaked',
];

/** Word pairs that together name an incident ("auf den Link geklickt", "Passwort eingegeben"). */
const INCIDENT_PAIRS: [string[], string[]][] = [
  [['link', 'anhang', 'phishing', 'mail', 'email', 'datei', 'attachment'], ['geklickt', 'geoeffnet', 'clicked', 'opened', 'reingefallen', 'ausgefuehrt']],
  [['passwort', 'zugangsdaten', 'kennwort', 'password', 'credentials', 'daten', 'pin'], ['eingegeben', 'eingetippt', 'preisgegeben', 'entered', 'gave', 'typed', 'verraten']],
  [['zugriff', 'zugang', 'anmeldungen', 'logins', 'access'], ['unbekannte', 'unbekannter', 'fremde', 'fremder', 'unbefugt', 'unbefugter', 'unknown', 'ungewoehnliche']],
  [['phishing', 'spam'], ['verschickt', 'rausgehen', 'gehen', 'versendet', 'sent']],
  [['admin', 'account', 'konto', 'konten', 'benutzer', 'user', 'zugang'], ['unbekannt', 'unbekannte', 'unknown', 'fremde', 'fremd', 'nobody', 'niemand', 'angelegt', 'created', 'erstellt']],
  [['fernzugriff', 'fernwartung', 'remote', 'teamviewer', 'anydesk'], ['gegeben', 'gewaehrt', 'erlaubt', 'freigegeben', 'granted', 'gave', 'allowed']],
];

/**
 * Without an incident word, the model alone may call a message an emergency only when it also
 * names trouble with IT: an IT thing that is down, gone or behaves strangely ("alle Server sind
 * down", "die Maus bewegt sich von allein"). A plea for help with anything else ("Hilfe! Der
 * Drucker druckt nicht", "Notfall: Wasserrohrbruch", "Kannst du mir bei der Steuererklärung
 * helfen?") is no incident, however urgent it sounds.
 */
const IT_THINGS = [
  'server', 'system', 'netz', 'rechner', 'computer', 'pc', 'edv', 'it', 'fachverfahren', 'datei', 'daten', 'laufwerk', 'fileserver', 'website',
  'webseite', 'homepage', 'internet', 'telefonanlage', 'postfach', 'postfaech', 'mail', 'email', 'konto', 'account', 'domain', 'firewall',
  'bildschirm', 'maus', 'cursor', 'passwort', 'passwoert', 'virenscanner', 'antivir', 'admin', 'verwaltungsnetz', 'network', 'files', 'screen',
  'usb', 'stick', 'laptop', 'notebook', 'handy', 'smartphone', 'tablet', 'router', 'vpn', 'outlook', 'windows', 'microsoft', 'cloud', 'backup',
  'datensicherung', 'festplatte', 'domaen', 'software', 'programm', 'login', 'zugang', 'zugriff', 'kennwort', 'web', 'online', 'digital',
];
const IT_TROUBLE = new Set([
  'down', 'ausgefallen', 'ausfall', 'offline', 'lahm', 'weg', 'verschwunden', 'verschwinden', 'umbenannt', 'unlesbar', 'gesperrt', 'alarm',
  'alleine', 'allein', 'selbst', 'seltsam', 'seltsame', 'seltsamen', 'komisch', 'komische', 'komischen', 'merkwuerdig', 'merkwuerdige',
  'verdaechtig', 'verdaechtige', 'verdaechtigen', 'verdacht', 'ungewoehnlich', 'ungewoehnliche', 'fremde', 'fremden', 'popups', 'popup',
  'suspicious', 'strange', 'weird', 'unusual', 'alerts', 'missing', 'gone', 'funktionieren', 'stillstand', 'steht', 'stehen', 'erreichbar',
  'reagiert', 'reagieren', 'schwarz', 'endung', 'endungen', 'verschickt', 'versendet', 'eingeloggt', 'angemeldet', 'eingedrungen', 'eingesteckt',
  'kaputt', 'tot', 'spinnt', 'spinnen', 'broken', 'jemand', 'fremder', 'fremdes', 'someone', 'somebody', 'unreachable', 'locked', 'ueberwiesen', 'ueberweisung', 'zahlen', 'bezahlen', 'pay',
]);

/** The writer or their Kommune is concerned. */
const OWN = new Set(['wir', 'uns', 'unser', 'unsere', 'unserem', 'unseren', 'unserer', 'unserm', 'ich', 'mein', 'meine', 'meinem', 'meinen', 'meiner', 'mir', 'mich', 'hab', 'habe', 'we', 'our', 'us', 'my', 'i', 'kollege', 'kollegin']);
/** It is happening now or has just happened. */
const NOW = new Set([
  'gerade', 'grad', 'eben', 'jetzt', 'sofort', 'dringend', 'notfall', 'heute', 'hilfe', 'seit', 'laeuft', 'akut', 'nun', 'schnell', 'just', 'now',
  'urgent', 'help', 'asap', 'currently', 'wurde', 'wurden', 'worden', 'been', 'erhalten', 'bekommen', 'received', 'got', 'ploetzlich',
]);
/** Openings of a question about the topic rather than a report ("Wie erkennt man …", "Was ist …"). */
const W_WORDS = new Set(['wie', 'was', 'wo', 'wer', 'wen', 'wem', 'welche', 'welcher', 'welches', 'welchen', 'wann', 'warum', 'weshalb', 'wozu', 'how', 'what', 'where', 'who', 'which', 'when', 'why']);
/** Verbs that open a yes/no question when the message ends with "?" ("Muss man … melden?"). */
const VERB_OPENINGS = new Set(['gibt', 'muss', 'muessen', 'soll', 'sollen', 'sollte', 'sollten', 'darf', 'duerfen', 'kann', 'koennen', 'ist', 'sind', 'should', 'can', 'do', 'does', 'is', 'are']);

/** Signs of a general or preparation question. */
const HYPOTHETICAL = new Set([
  'falls', 'wenn', 'if', 'ever', 'sollte', 'sollten', 'should', 'schuetzen', 'schuetzt', 'protect', 'vorbeugen', 'vorbereiten', 'vorbereitung',
  'prepare', 'verhindern', 'prevent', 'erkennen', 'erkenne', 'erkennt', 'recognise', 'recognize', 'schulung', 'training', 'notfallplan',
  'hotline', 'allgemein', 'generell', 'gefaehrlich', 'dangerous', 'typisch', 'typische', 'waere', 'wuerde', 'would', 'mal',
  // Preparing, presenting, testing, reading about it: a topic, not an incident.
  'zusammenfassen', 'zusammenfassung', 'vortrag', 'praesentation', 'presentation', 'uebung', 'notfalluebung', 'drehbuch', 'szenario',
  'simulation', 'testing', 'pentest', 'pentests', 'penetrationstest', 'empfiehlt', 'empfehlen', 'recommend', 'zeitungsartikel', 'artikel',
  'gelesen', 'gehoert', 'damals', 'stimmt', 'versicherung', 'cyberversicherung', 'schulung', 'awareness', 'zeitungsbericht', 'zeitung', 'presse',
]);
/** Signs that it happens now: a long story without one is background to a question. */
const STRONG_NOW = new Set(['gerade', 'grad', 'eben', 'jetzt', 'sofort', 'dringend', 'notfall', 'akut', 'live', 'ploetzlich', 'heute', 'seit', 'hilfe', 'just', 'now', 'urgent', 'help', 'asap', 'emergency', 'overnight', 'immediately', 'currently']);
const HYPOTHETICAL_PHRASES = [['letztes', 'jahr'], ['letzten', 'jahr'], ['vor', 'jahren'], ['last', 'year'], ['was', 'tun', 'bei'], ['was', 'macht', 'man'], ['what', 'do', 'you', 'do'], ['im', 'fall'], ['im', 'falle'], ['fuer', 'den', 'fall'], ['in', 'case'], ['how', 'do'], ['wie', 'erkenne'], ['where', 'do'], ['who', 'do']];

/** Openings of a question that also open a plea ("Who do we call?"); with an incident, the writer and "now" they are one. */
const WEAK_PHRASES = HYPOTHETICAL_PHRASES.filter((p) => p.length === 2 && p[1] === 'do');

/** Time words that put an incident in the past ("letzten Monat", "vor drei Wochen", "last year"). */
const PAST_UNITS = new Set(['woche', 'wochen', 'monat', 'monaten', 'monate', 'jahr', 'jahren', 'jahre', 'week', 'weeks', 'month', 'months', 'year', 'years', 'tagen', 'days']);
const PAST_BEFORE = new Set(['letzte', 'letzten', 'letztes', 'letzter', 'vergangene', 'vergangenen', 'vergangenes', 'vorige', 'vorigen', 'voriges', 'last']);
const PAST_WORDS = new Set(['damals', 'neulich', 'frueher', 'vorjahr', 'vorletzte', 'vorletzten', 'ago', 'ehemals']);
/** What a question about an incident asks for rather than help now (duties, money, rules). */
const AFTERMATH = ['melden', 'meldepflicht', 'meldepflichtig', 'gemeldet', 'versicherung', 'kosten', 'bezahlt', 'zahlt', 'pflicht', 'report', 'insurance'];

function pastCue(words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (PAST_WORDS.has(w)) return true;
    if (PAST_UNITS.has(w) && (PAST_BEFORE.has(words[i - 1] ?? '') || words[i - 2] === 'vor' || words[i + 1] === 'ago')) return true;
  }
  return false;
}

export interface EmergencyCues {
  incident: boolean;
  /** A long message (a story) … */
  long: boolean;
  /** … and whether it says it happens now. */
  strongNow: boolean;
  own: boolean;
  now: boolean;
  /** The incident lies in the past or the message asks about duties and costs after one. */
  past: boolean;
  /** Opens like a question about the topic ("Wie …", "Was ist …"), not "Was tun?"/"Was nun?". */
  questionForm: boolean;
  hypothetical: boolean;
  /**
   * Only a modal verb ("sollte", "should") or a question opening ("who do …") makes it sound
   * hypothetical: "What should we do now? Who do we report this to?" is no plan.
   */
  modalOnly: boolean;
  /** An IT thing down or behaving strangely: the sign the model needs without an incident word. */
  itTrouble: boolean;
}

/** "Alles ist down", "alle Rechner": trouble with everything is trouble with IT in an office. */
const EVERYTHING = new Set(['alles', 'alle', 'allen', 'nichts', 'everything', 'nothing', 'all']);
const TROUBLE_PHRASES = [['geht', 'nichts'], ['nichts', 'geht'], ['nichts', 'mehr'], ['nothing', 'works'], ['kommen', 'nicht', 'mehr'], ['komme', 'nicht', 'mehr']];

/** "server", "Fileserver", "Bürgerdaten", "IT" (short words only whole: "it" is no "Italien"). */
function isItThing(t: string): boolean {
  return IT_THINGS.some((p) => (p.length <= 3 ? t === p : t.startsWith(p) || t.endsWith(p)));
}

/** Modal verbs that sound hypothetical in a plan but also open a plea ("What should we do immediately?"). */
const MODAL = new Set(['sollte', 'sollten', 'should', 'waere', 'wuerde', 'would']);

export function emergencyCues(tokens: readonly string[], asksQuestion = false): EmergencyCues {
  const words = tokens.length > 80 ? tokens.slice(0, 80) : tokens;
  const incident =
    words.some((t) => INCIDENT_PREFIXES.some((p) => t.startsWith(p))) ||
    INCIDENT_PAIRS.some(([a, b]) => words.some((t) => a.some((p) => t.startsWith(p))) && words.some((t) => b.includes(t)));
  const first = words.find((t) => !['hallo', 'hi', 'guten', 'tag', 'morgen', 'bitte', 'hilfe', 'help', 'dringend', 'notfall'].includes(t)) ?? '';
  return {
    incident,
    long: tokens.length > 30,
    strongNow: words.some((t) => STRONG_NOW.has(t)),
    own: words.some((t) => OWN.has(t)),
    past: pastCue(words) || (asksQuestion && words.some((t) => AFTERMATH.some((a) => t.startsWith(a)))),
    now: words.some((t) => NOW.has(t)),
    questionForm: (W_WORDS.has(first) || (asksQuestion && VERB_OPENINGS.has(first))) && !['tun', 'nun', 'jetzt', 'machen', 'now', 'to'].includes(words[words.indexOf(first) + 1] ?? ''),
    hypothetical: words.some((t) => HYPOTHETICAL.has(t)) || HYPOTHETICAL_PHRASES.some((p) => hasPhrase(words, p)),
    modalOnly:
      !words.some((t) => HYPOTHETICAL.has(t) && !MODAL.has(t)) && !HYPOTHETICAL_PHRASES.some((p) => !WEAK_PHRASES.includes(p) && hasPhrase(words, p)),
    itTrouble: (words.some((t) => IT_TROUBLE.has(t)) && words.some((t) => isItThing(t) || EVERYTHING.has(t))) || TROUBLE_PHRASES.some((p) => hasPhrase(words, p)),
  };
}

/**
 * A sign of an incident in a text: an incident word ("verschlüsselt", "gehackt", "Link geklickt")
 * or IT down or behaving strangely. No first aid without one: for the knowledge service, whose
 * topic model may choose the first-aid article for a plea ("Kannst du mir bei der
 * Steuererklärung helfen?") because that article is about help.
 */
export function hasIncidentSign(text: string): boolean {
  const c = emergencyCues(foldTokens(text.slice(0, 2000)));
  return c.incident || c.itTrouble;
}

/** The model's emergency probability at or above which a message is an emergency (without a preparation cue). */
export const EMERGENCY_PROBABILITY = 0.5;
/** …and without any incident word: a place name or a short answer must never be taken for one. */
export const MODEL_ONLY_PROBABILITY = 0.85;
/** …and without IT in trouble either ("Hilfe! Der Drucker druckt nicht mehr" is a support matter, no incident). */
export const NO_SIGN_PROBABILITY = 0.95;

/**
 * The decision: a preparation question is never an emergency; otherwise the model's word, or an
 * incident word with a sign that it concerns the writer now.
 */
export function isEmergency(tokens: readonly string[], probability: number, asksQuestion = false): boolean {
  const c = emergencyCues(tokens, asksQuestion);
  // "Was sollten wir jetzt tun? Unsere Server sind verschlüsselt" is a plea, not a plan.
  const plea = c.modalOnly && c.incident && c.own && c.strongNow;
  if ((c.hypothetical && !plea) || ((c.long || c.past) && !c.strongNow)) return false;
  // "Wie erkennt man Ransomware?" asks about the topic; "Was tun? Wir wurden gehackt" reports.
  if (c.questionForm) return c.incident && c.own && c.now && probability >= 0.2;
  // Without an incident word the model alone must be sure and IT must be in trouble
  // ("Die Webseite zeigt fremde Inhalte"); "Hilfe! Der Drucker druckt nicht" is no incident.
  if (!c.incident) return probability >= (c.itTrouble ? MODEL_ONLY_PROBABILITY : NO_SIGN_PROBABILITY);
  return probability >= EMERGENCY_PROBABILITY || c.own || c.now;
}
