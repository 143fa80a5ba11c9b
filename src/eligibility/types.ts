/** One row of the official register (knowledge/kommunen.csv). */
export interface Kommune {
  /** Amtlicher Gemeindeschlüssel: 8 digits, 5 for a Landkreis. Text, keeps the leading zero. */
  ags: string;
  /** Official Destatis name with designation ("Limburg a. d. Lahn, Kreisstadt"). */
  name: string;
  /** Everyday name: part before the first ", "; for a Landkreis "Landkreis Gießen" / "Main-Kinzig-Kreis". */
  shortName: string;
  kind: 'gemeinde' | 'stadt' | 'kreisfreie_stadt' | 'landkreis';
  /** Destatis name of the Kreis (for kreisfreie Städte and Landkreise the row's own name). */
  district: string;
  population: number;
  /** Reference date of the population (ISO date). */
  populationDate: string;
}

export type KommuneKind = Kommune['kind'];

/** What a typed name resolved to: exactly one row, or a question back. */
export type Resolution =
  | { kind: 'found'; kommune: Kommune }
  /** Several rows fit: ask back, showing the district. */
  | { kind: 'ambiguous'; candidates: Kommune[] }
  /** A known place outside Hessen; `land` names its federal state when known. */
  | { kind: 'outside-hessen'; input: string; land?: string }
  | { kind: 'not-found'; suggestions: Kommune[] };

export interface Source {
  name: string;
  url: string;
  /** Date (or "undatiert …") the source states for its content. */
  asOf: string;
}

/**
 * An association of Kommunen that applies itself (e.g. a Zweckverband). The register does not list
 * associations, so the bot knows only what the person said: the name and which kind of word.
 */
export interface Association {
  /** As the person wrote it (capped), e.g. "Zweckverband Abwasser Oberes Fuldatal". */
  name: string;
  /** 'zweckverband': the word the source names as a legal person; 'verband': any other "…verband". */
  kind: 'zweckverband' | 'verband';
}

/** Facts a programme's conditions are checked against; missing facts make a condition "offen". */
export interface EligibilityFacts {
  kommune?: Kommune;
  /** Set instead of `kommune` when an association applies (not in the register). */
  association?: Association;
  /** Number of cooperating Kommunen, the asking one included. */
  partners?: number;
  allPartnersHessian?: boolean;
  /** Planned duration in years, or 'unbefristet' (permanent). */
  durationYears?: number | 'unbefristet';
  /** Expected savings per year in the task areas concerned, in percent. */
  savingsPercent?: number;
  /** AKC KDLZ-CS module stage: 1 = on-site evaluation, 2 = external stress test. */
  stage?: 1 | 2;
  stage1Done?: boolean;
  recommendationsImplemented?: boolean;
}

export type FactName = Exclude<keyof EligibilityFacts, 'kommune' | 'association'>;

export type Outcome = 'eligible' | 'not-eligible' | 'needs-review';

export interface Reason {
  /** Condition id from the programme file, or 'gueltigkeit' for the validity check. */
  rule: string;
  /** true = fulfilled, false = not fulfilled, null = open / needs review. */
  met: boolean | null;
  text: string;
  source: Source;
}

export type ValidityStatus = 'valid' | 'not-yet-valid' | 'may-have-expired';

export interface EligibilityResult {
  programme: { id: string; topic: string; title: string; bookable: boolean };
  outcome: Outcome;
  reasons: Reason[];
  nextStep: string;
  /**
   * Validity of the programme rules at the date asked about (Europe/Berlin calendar day). `notice`
   * is the caveat shown from `endNotice.daysBefore` days before `validUntil` (also first in `notes`).
   */
  validity: { status: ValidityStatus; date: string; validFrom: string; validUntil?: string; note: string; notice?: string };
  /** Further notes from the programme file (historical remarks, what could not be verified). */
  notes: string[];
  /** The usual grant (IKZ), when the partner count is known. */
  grant?: { amountEur: number; text: string; note?: string; source: Source };
  kommune?: Kommune;
  association?: Association;
  /** Every source used by the reasons, the grant and the population, without repeats. */
  sources: Source[];
}

/**
 * What every answer about a programme must say on a given day, besides its content: the caveat
 * before the assumed end of the rules, or that they may have expired. From programmeNotice().
 */
export interface ProgrammeNotice {
  programmeId: string;
  kind: 'ending-soon' | 'may-have-expired';
  /** German, for users; ready to show as it is. */
  text: string;
  source: Source;
}
