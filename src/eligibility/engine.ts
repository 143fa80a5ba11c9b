import type { Condition, Programme } from './programmes';
import { noticeFor } from './notice';
import type { Association, EligibilityFacts, EligibilityResult, Kommune, Outcome, Reason, Source, ValidityStatus } from './types';

/**
 * The rule engine: (programme, facts, date) → outcome with one reason per condition. Pure: no I/O,
 * no clock; the caller passes the date the question is about.
 */

const berlinDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' });
const numberFormat = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });

/** The calendar day in Hessen for an instant: validity dates are German calendar days. */
export function berlinDay(date: Date): string {
  return berlinDayFormat.format(date);
}

export function formatGermanDate(isoDay: string): string {
  const [y, m, d] = isoDay.split('-');
  return `${d}.${m}.${y}`;
}

export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

const KIND_LABEL: Record<Kommune['kind'], string> = {
  gemeinde: 'Gemeinde',
  stadt: 'Stadt',
  kreisfreie_stadt: 'kreisfreie Stadt',
  landkreis: 'Landkreis',
};

export function kindLabel(kind: Kommune['kind']): string {
  return KIND_LABEL[kind];
}

const ASSOCIATION_LABEL: Record<Association['kind'], string> = { zweckverband: 'Zweckverband', verband: 'Verband' };

/** The body whose resolution an application needs (HGO/HKO): `{council}` in programme texts. */
const COUNCIL: Record<Kommune['kind'], string> = {
  gemeinde: 'der Gemeindevertretung',
  stadt: 'der Stadtverordnetenversammlung',
  kreisfreie_stadt: 'der Stadtverordnetenversammlung',
  landkreis: 'des Kreistags',
};
const ASSOCIATION_COUNCIL = 'des zuständigen Gremiums des Verbands';

type Value = number | boolean | string | undefined;

function factValue(fact: string, facts: EligibilityFacts): Value {
  if (fact === 'population') return facts.kommune?.population;
  return facts[fact as keyof Omit<EligibilityFacts, 'kommune' | 'association'>];
}

function formatValue(fact: string, value: Value): string {
  if (value === undefined) return '';
  if (fact === 'durationYears') return value === 'unbefristet' ? 'Dauer (unbefristet)' : value === 1 ? '1 Jahr' : `${formatNumber(value as number)} Jahre`;
  if (fact === 'savingsPercent') return `${formatNumber(value as number)} %`;
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

function fill(template: string, facts: EligibilityFacts, value: string): string {
  const k = facts.kommune;
  const a = k ? undefined : facts.association;
  return template
    .replaceAll('{name}', k?.shortName ?? a?.name ?? 'Die Kommune')
    .replaceAll('{kindLabel}', k ? kindLabel(k.kind) : a ? ASSOCIATION_LABEL[a.kind] : '')
    .replaceAll('{council}', k ? COUNCIL[k.kind] : a ? ASSOCIATION_COUNCIL : 'der Vertretung')
    .replaceAll('{population}', k ? formatNumber(k.population) : '')
    .replaceAll('{value}', value);
}

type Checked = { met: boolean | null; template: string; value: string };

/** true / false / null (open) for one condition, plus the text template that explains it. */
function check(c: Condition, facts: EligibilityFacts): Checked {
  const r = rawCheck(c, facts);
  // A rule the sources do not make a hard "no" (ifNotMet: review) leaves the case open instead.
  return r.met === false && c.ifNotMet === 'review' ? { met: null, template: c.text.review!, value: r.value } : r;
}

function rawCheck(c: Condition, facts: EligibilityFacts): Checked {
  const missing = { met: null, template: c.text.missing ?? `Noch offen: ${c.label}.`, value: '' };
  const ck = c.check;
  switch (ck.type) {
    case 'in-register':
      if (facts.kommune) return { met: true, template: c.text.met, value: '' };
      if (!facts.association) return missing;
      // Associations are not in the register: a Zweckverband qualifies where the programme says so;
      // any other association, or a programme that names only Kommunen, stays open with the reason.
      if (ck.orAssociation && facts.association.kind === 'zweckverband') return { met: true, template: c.text.association!, value: '' };
      if (ck.orAssociation) return { met: null, template: c.text.associationReview!, value: '' };
      return { met: null, template: c.text.association ?? missing.template, value: '' };
    case 'kind-in':
      if (!facts.kommune) return missing;
      return ck.kinds.includes(facts.kommune.kind) ? { met: true, template: c.text.met, value: '' } : { met: false, template: c.text.notMet, value: '' };
    case 'is-true': {
      const v = factValue(ck.fact, facts);
      if (typeof v !== 'boolean') return missing;
      return { met: v, template: v ? c.text.met : c.text.notMet, value: '' };
    }
    case 'at-most':
    case 'at-least': {
      const raw = factValue(ck.fact, facts);
      if (raw === undefined) return missing;
      const value = formatValue(ck.fact, raw);
      const n = raw === 'unbefristet' ? Infinity : Number(raw);
      if (ck.type === 'at-most') return n <= ck.limit ? { met: true, template: c.text.met, value } : { met: false, template: c.text.notMet, value };
      if (n >= ck.limit) return { met: true, template: c.text.met, value };
      if (ck.reviewFrom !== undefined && n >= ck.reviewFrom) return { met: null, template: c.text.review ?? c.text.notMet, value };
      return { met: false, template: c.text.notMet, value };
    }
  }
}

function applies(c: Condition, facts: EligibilityFacts, day: string): boolean {
  if (c.during?.from && day < c.during.from) return false;
  if (c.during?.until && day > c.during.until) return false;
  return !c.when || factValue(c.when.fact, facts) === c.when.equals;
}

/** Looks up a source key of a programme; "register" is the Destatis register. */
export function sourceOf(programme: Programme, key: string, registerSource: Source): Source {
  return key === 'register' ? registerSource : programme.sources[key];
}

export function evaluateProgramme(programme: Programme, facts: EligibilityFacts, date: Date, registerSource: Source): EligibilityResult {
  const day = berlinDay(date);
  const reasons: Reason[] = programme.conditions
    .filter((c) => applies(c, facts, day))
    .map((c) => {
      const r = check(c, facts);
      return { rule: c.id, met: r.met, text: fill(r.template, facts, r.value), source: sourceOf(programme, c.source, registerSource) };
    });

  let status: ValidityStatus = 'valid';
  if (day < programme.validFrom) status = 'not-yet-valid';
  else if (programme.validUntil && day > programme.validUntil) status = 'may-have-expired';
  const validitySource = sourceOf(programme, programme.validitySource ?? Object.keys(programme.sources)[0], registerSource);
  if (status !== 'valid') {
    const text = status === 'not-yet-valid' ? programme.notYetText : (programme.expiredText as string);
    reasons.push({ rule: 'gueltigkeit', met: null, text, source: validitySource });
  }

  // Rules that may not apply on that day cannot give a firm yes or no.
  const outcome: Outcome =
    status !== 'valid' ? 'needs-review' : reasons.some((r) => r.met === false) ? 'not-eligible' : reasons.some((r) => r.met === null) ? 'needs-review' : 'eligible';

  const grantRule = programme.grant && facts.partners !== undefined && outcome !== 'not-eligible'
    ? programme.grant.rules.find((g) => facts.partners! >= g.minPartners && (g.maxPartners === undefined || facts.partners! <= g.maxPartners))
    : undefined;
  const grant = grantRule && programme.grant
    ? { amountEur: grantRule.amountEur, text: grantRule.text, note: programme.grant.note, source: sourceOf(programme, programme.grant.source, registerSource) }
    : undefined;

  const sources: Source[] = [];
  const addSource = (s: Source): void => {
    if (!sources.some((x) => x.url === s.url && x.name === s.name)) sources.push(s);
  };
  reasons.forEach((r) => addSource(r.source));
  if (grant) addSource(grant.source);
  const notes = programme.notes.map((n) => (typeof n === 'string' ? n : n.text));
  for (const n of programme.notes) if (typeof n !== 'string') addSource(sourceOf(programme, n.source, registerSource));
  if (facts.kommune) addSource(registerSource);

  const nextStep = outcome === 'eligible' ? programme.nextStep.eligible : outcome === 'not-eligible' ? programme.nextStep.notEligible : programme.nextStep.needsReview;
  // The caveat before the assumed end; after it, the "may have expired" reason above says it.
  const notice = status === 'valid' ? noticeFor(programme, day, registerSource) : undefined;
  if (notice) addSource(notice.source);
  return {
    programme: { id: programme.id, topic: programme.topic, title: programme.title, bookable: programme.bookable },
    outcome,
    reasons,
    nextStep: fill(nextStep, facts, ''),
    validity: { status, date: day, validFrom: programme.validFrom, validUntil: programme.validUntil, note: programme.validityNote, ...(notice ? { notice: notice.text } : {}) },
    notes: notice ? [notice.text, ...notes] : notes,
    grant,
    kommune: facts.kommune,
    ...(facts.kommune || !facts.association ? {} : { association: facts.association }),
    sources,
  };
}

/** The machine-readable eligibility entity of DESIGN.md (activity.entities). */
export interface EligibilityEntity {
  type: 'eligibility';
  programme: string;
  /** true / false; null when the rules need a human review. */
  eligible: boolean | null;
  municipality: Pick<Kommune, 'ags' | 'name' | 'kind' | 'district' | 'population' | 'populationDate'> | null;
  reasons: Reason[];
  sources: Source[];
  /** Only when the rules are near their assumed end: the caveat the card shows first under "Hinweise". */
  notice?: string;
}

export function toEligibilityEntity(result: EligibilityResult): EligibilityEntity {
  const k = result.kommune;
  return {
    type: 'eligibility',
    programme: result.programme.id,
    eligible: result.outcome === 'eligible' ? true : result.outcome === 'not-eligible' ? false : null,
    municipality: k ? { ags: k.ags, name: k.name, kind: k.kind, district: k.district, population: k.population, populationDate: k.populationDate } : null,
    reasons: result.reasons,
    sources: result.sources,
    ...(result.validity.notice ? { notice: result.validity.notice } : {}),
  };
}
