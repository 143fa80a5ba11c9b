import { CardFactory, type Attachment } from 'botbuilder';
import { formatGermanDate, formatNumber, kindLabel, type EligibilityResult, type Kommune, type Source } from '../../src/eligibility';
import { eligibilityTexts } from '../texts/eligibility';

const T = eligibilityTexts.result;

/** Adaptive Card 1.5: the highest version both Teams and Web Chat render. */
const CARD_VERSION = '1.5';

const COLOR = { eligible: 'Good', 'not-eligible': 'Attention', 'needs-review': 'Warning' } as const;

export interface ResultCardInput {
  result: EligibilityResult;
  /** "Landkreis Gießen" for a municipality, undefined for Landkreise / kreisfreie Städte. */
  districtName?: string;
  registerSource: Source;
  /** Extra line under the outcome, e.g. which stage was assumed. */
  remark?: string;
}

function text(value: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'TextBlock', text: value, wrap: true, ...extra };
}

function section(title: string, items: Record<string, unknown>[]): Record<string, unknown> {
  return { type: 'Container', spacing: 'Medium', items: [text(title, { weight: 'Bolder' }), ...items] };
}

function kommuneFacts(k: Kommune, districtName: string | undefined): Record<string, unknown> {
  const facts = [
    { title: T.kommune, value: k.name },
    { title: T.kind, value: kindLabel(k.kind) },
    ...(districtName ? [{ title: T.district, value: districtName }] : []),
    { title: T.population, value: T.populationValue(formatNumber(k.population), formatGermanDate(k.populationDate)) },
  ];
  return { type: 'FactSet', facts };
}

/**
 * The eligibility result as an Adaptive Card: outcome, Kommune with population, date and source,
 * one line per reason, the usual grant, validity, next step, sources. Submit actions carry a
 * `kdlz` marker (MainDialog routes them) and `dialogStep`, so a stale card can be recognised.
 */
export function eligibilityCard({ result, districtName, registerSource, remark }: ResultCardInput): Attachment {
  const k = result.kommune;
  const body: Record<string, unknown>[] = [
    text(result.programme.title, { size: 'Medium', weight: 'Bolder' }),
    text(T.outcome[result.outcome], { color: COLOR[result.outcome], weight: 'Bolder', size: 'Large' }),
  ];
  if (remark) body.push(text(remark, { isSubtle: true }));
  if (k) {
    body.push(kommuneFacts(k, districtName));
    body.push(text(T.populationSource(registerSource.name), { isSubtle: true, size: 'Small' }));
  }
  body.push(
    section(
      T.reasonsTitle,
      result.reasons.map((r) => text(`${T.met[String(r.met) as 'true' | 'false' | 'null']} ${r.text} _(${r.source.name})_`)),
    ),
  );
  if (result.grant) {
    body.push(section(T.grantTitle, [text(T.grantValue(formatNumber(result.grant.amountEur), result.grant.text)), ...(result.grant.note ? [text(result.grant.note, { isSubtle: true })] : [])]));
  }
  body.push(section(T.validityTitle, [text(result.validity.note, { isSubtle: true })]));
  if (result.notes.length > 0) body.push(section(T.notesTitle, result.notes.map((n) => text(`- ${n}`, { isSubtle: true }))));
  body.push(section(T.nextStepTitle, [text(result.nextStep)]));
  body.push(section(T.sourcesTitle, result.sources.map((s) => text(T.sourceLine(s.name, s.url, s.asOf), { size: 'Small' }))));

  const actions: Record<string, unknown>[] = [];
  if (k && result.programme.bookable && result.outcome === 'eligible') {
    actions.push({ type: 'Action.Submit', title: T.bookAction, data: { kdlz: 'startBooking', kommuneAgs: k.ags, dialogStep: 'eligibility-result' } });
  }
  const other = result.programme.topic === 'ikz' ? { title: T.kdlzAction, programmeId: 'kdlz' } : { title: T.ikzAction, programmeId: 'ikz' };
  actions.push({ type: 'Action.Submit', title: other.title, data: { kdlz: 'startEligibility', kommuneAgs: k?.ags, programmeId: other.programmeId, dialogStep: 'eligibility-result' } });

  return CardFactory.adaptiveCard({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: CARD_VERSION, body, actions });
}
