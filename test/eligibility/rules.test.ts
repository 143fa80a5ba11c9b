import { describe, expect, it } from 'vitest';
import { createEligibilityService, toEligibilityEntity, type EligibilityFacts, type Kommune } from '../../src/eligibility';

const service = createEligibilityService();
const kommune = (ags: string): Kommune => service.register.byAgs(ags)!;
const at = (isoDay: string, hour = 12): Date => new Date(`${isoDay}T${String(hour).padStart(2, '0')}:00:00+01:00`);

/** A real row with its population replaced: boundaries need exact numbers the register may not hold. */
const withPopulation = (population: number): Kommune => ({ ...kommune('06531003'), population });
const rule = (r: ReturnType<typeof service.evaluate>, id: string) => r.reasons.find((x) => x.rule === id);

describe('KDLZ CS as of 2018 (up to 35,000 inhabitants, Städte and Gemeinden)', () => {
  const day = at('2018-09-05');
  it.each([
    [35_000, 'eligible', true],
    [35_001, 'not-eligible', false],
    [1_583, 'eligible', true],
  ] as const)('population %i → %s', (population, outcome, met) => {
    const r = service.evaluate('kdlz-cs-2018', { kommune: withPopulation(population) }, day);
    expect(r.outcome).toBe(outcome);
    expect(rule(r, 'einwohner-hoechstens-35000')?.met).toBe(met);
  });

  it('a Landkreis is neither Stadt nor Gemeinde', () => {
    const r = service.evaluate('kdlz-cs-2018', { kommune: kommune('06531') }, day);
    expect(r.outcome).toBe('not-eligible');
    expect(rule(r, 'stadt-oder-gemeinde')).toMatchObject({ met: false, text: expect.stringContaining('Landkreis') });
  });

  it('real towns: Buseck yes, Mörfelden-Walldorf (35,359) no', () => {
    expect(service.evaluate('kdlz-cs-2018', { kommune: kommune('06531003') }, day).outcome).toBe('eligible');
    const mw = service.evaluate('kdlz-cs-2018', { kommune: kommune('06433008') }, day);
    expect(mw.outcome).toBe('not-eligible');
    expect(rule(mw, 'einwohner-hoechstens-35000')?.text).toContain('35.359');
  });

  it('carries the note that larger municipalities were admitted from spring 2017', () => {
    const r = service.evaluate('kdlz-cs-2018', { kommune: kommune('06531003') }, day);
    expect(r.notes.join(' ')).toContain('Frühjahr 2017');
  });

  it.each([
    ['2015-12-31', 'not-yet-valid', 'needs-review'],
    ['2016-01-01', 'valid', 'eligible'],
    ['2020-12-31', 'valid', 'eligible'],
    ['2021-01-01', 'may-have-expired', 'needs-review'],
  ] as const)('on %s the 2018 rules are %s → %s', (d, status, outcome) => {
    const r = service.evaluate('kdlz-cs-2018', { kommune: kommune('06531003') }, at(d));
    expect(r.validity.status).toBe(status);
    expect(r.outcome).toBe(outcome);
    if (status !== 'valid') expect(rule(r, 'gueltigkeit')?.met).toBeNull();
  });
});

describe('topic "kdlz" picks the version valid on the day', () => {
  it.each([
    ['2018-09-05', 'kdlz-cs-2018'],
    ['2022-06-01', 'kdlz-cs-2018'], // no version known for 2021–2023: the old one, marked as possibly expired
    ['2024-01-01', 'akc-kdlz-cs'],
    ['2026-11-26', 'akc-kdlz-cs'],
  ])('%s → %s', (d, id) => {
    expect(service.evaluate('kdlz', { kommune: kommune('06412000') }, at(d)).programme.id).toBe(id);
  });

  it('in 2022 the answer says the rule may have expired instead of a firm no', () => {
    const r = service.evaluate('kdlz', { kommune: kommune('06412000') }, at('2022-06-01'));
    expect(r.outcome).toBe('needs-review');
    expect(rule(r, 'gueltigkeit')?.text).toMatch(/gilt nur bis Ende 2020/);
  });
});

describe('AKC module "Sichere Kommunalnetze Hessen (KDLZ-CS)"', () => {
  const day = at('2026-11-26');
  it.each([
    ['Frankfurt am Main (kreisfreie Stadt, 775,790)', '06412000'],
    ['Landkreis Gießen', '06531'],
    ['Buseck', '06531003'],
  ])('stage 1 is open to %s', (_label, ags) => {
    expect(service.evaluate('akc-kdlz-cs', { kommune: kommune(ags), stage: 1 }, day).outcome).toBe('eligible');
  });

  it.each([
    [{ stage1Done: true, recommendationsImplemented: true }, 'eligible'],
    [{ stage1Done: true, recommendationsImplemented: false }, 'not-eligible'],
    [{ stage1Done: false, recommendationsImplemented: false }, 'not-eligible'],
    [{ stage1Done: true }, 'needs-review'],
    [{}, 'needs-review'],
  ] as [Partial<EligibilityFacts>, string][])('stage 2 with %j → %s', (facts, outcome) => {
    const r = service.evaluate('akc-kdlz-cs', { kommune: kommune('06531003'), stage: 2, ...facts }, day);
    expect(r.outcome).toBe(outcome);
    expect(r.reasons.map((x) => x.rule)).toEqual(['in-hessen', 'stufe1-abgeschlossen', 'empfehlungen-umgesetzt']);
  });

  it('stage 1 does not ask about stage-2 conditions', () => {
    const r = service.evaluate('akc-kdlz-cs', { kommune: kommune('06531003'), stage: 1 }, day);
    expect(r.reasons.map((x) => x.rule)).toEqual(['in-hessen']);
  });

  it('without a Kommune the answer is open, not yes', () => {
    expect(service.evaluate('akc-kdlz-cs', { stage: 1 }, day).outcome).toBe('needs-review');
  });

  it('the day before the AKC start has no firm answer', () => {
    const r = service.evaluate('akc-kdlz-cs', { kommune: kommune('06531003'), stage: 1 }, at('2023-12-31'));
    expect(r.validity.status).toBe('not-yet-valid');
    expect(r.outcome).toBe('needs-review');
  });
});

describe('IKZ Rahmenvereinbarung', () => {
  const good: EligibilityFacts = { kommune: kommune('06631018'), partners: 3, allPartnersHessian: true, durationYears: 5, savingsPercent: 15 };
  const day = at('2026-11-26');

  it('all conditions at their limits → eligible with the 75,000 € Regelzuwendung', () => {
    const r = service.evaluate('ikz', good, day);
    expect(r.programme.id).toBe('ikz-rahmenvereinbarung');
    expect(r.outcome).toBe('eligible');
    expect(r.reasons.every((x) => x.met === true)).toBe(true);
    expect(r.grant?.amountEur).toBe(75_000);
    expect(r.grant?.note).toContain('150.000 € je beteiligter Gemeinde');
    expect(r.nextStep).toContain('Dienstweg');
  });

  it.each([
    [{ partners: 1 }, 'mindestens-drei-partner', false, 'not-eligible', undefined],
    [{ partners: 2 }, 'mindestens-drei-partner', null, 'needs-review', 50_000],
    [{ partners: 3 }, 'mindestens-drei-partner', true, 'eligible', 75_000],
    [{ partners: 4 }, 'mindestens-drei-partner', true, 'eligible', 100_000],
    [{ partners: 12 }, 'mindestens-drei-partner', true, 'eligible', 100_000],
    [{ savingsPercent: 14.9 }, 'mindestens-15-prozent', false, 'not-eligible', undefined],
    [{ savingsPercent: 15 }, 'mindestens-15-prozent', true, 'eligible', 75_000],
    [{ durationYears: 4 }, 'mindestens-fuenf-jahre', false, 'not-eligible', undefined],
    [{ durationYears: 5 }, 'mindestens-fuenf-jahre', true, 'eligible', 75_000],
    [{ durationYears: 'unbefristet' }, 'mindestens-fuenf-jahre', true, 'eligible', 75_000],
    [{ allPartnersHessian: false }, 'partner-hessisch', false, 'not-eligible', undefined],
    [{ savingsPercent: undefined }, 'mindestens-15-prozent', null, 'needs-review', 75_000],
  ] as [Partial<EligibilityFacts>, string, boolean | null, string, number | undefined][])('%j → %s met=%s → %s, grant %s', (change, id, met, outcome, grant) => {
    const r = service.evaluate('ikz', { ...good, ...change }, day);
    expect(rule(r, id)?.met).toBe(met);
    expect(r.outcome).toBe(outcome);
    expect(r.grant?.amountEur).toBe(grant);
  });

  it('explains the failing value in German number format', () => {
    const r = service.evaluate('ikz', { ...good, savingsPercent: 14.9 }, day);
    expect(rule(r, 'mindestens-15-prozent')?.text).toContain('14,9 %');
  });

  it.each([
    ['2021-12-01', 'not-yet-valid', 'needs-review'],
    ['2021-12-02', 'valid', 'eligible'],
    ['2026-12-01', 'valid', 'eligible'],
    ['2026-12-02', 'may-have-expired', 'needs-review'],
  ] as const)('on %s the Rahmenvereinbarung is %s → %s', (d, status, outcome) => {
    const r = service.evaluate('ikz', good, at(d));
    expect(r.validity.status).toBe(status);
    expect(r.outcome).toBe(outcome);
  });

  it('says plainly that the rule may have expired after the five-year extension', () => {
    const r = service.evaluate('ikz', good, at('2027-03-01'));
    expect(rule(r, 'gueltigkeit')?.text).toMatch(/kann die Regel abgelaufen sein/);
  });

  it('uses the calendar day in Hessen, not UTC (23:30 UTC on 1 Dec = 2 Dec in Berlin)', () => {
    const r = service.evaluate('ikz', good, new Date('2026-12-01T23:30:00Z'));
    expect(r.validity.date).toBe('2026-12-02');
    expect(r.validity.status).toBe('may-have-expired');
  });

  it('a Landkreis may apply too', () => {
    expect(service.evaluate('ikz', { ...good, kommune: kommune('06531') }, day).outcome).toBe('eligible');
  });
});

describe('every reason names its rule and source', () => {
  it('for each programme', () => {
    for (const p of service.programmes) {
      const r = service.evaluate(p.id, { kommune: kommune('06531003'), stage: 2, partners: 3 }, at(p.validFrom));
      for (const reason of r.reasons) {
        expect(reason.rule).toMatch(/^[a-z0-9-]+$/);
        expect(reason.source.url).toMatch(/^https?:\/\//);
        expect(reason.text.length).toBeGreaterThan(10);
        expect(reason.text).not.toMatch(/\{\w+\}/);
      }
    }
  });
});

describe('eligibility entity (DESIGN.md contract)', () => {
  it('has exactly the agreed fields and the population source', () => {
    const r = service.evaluate('kdlz', { kommune: kommune('06531003'), stage: 1 }, at('2026-11-26'));
    const e = toEligibilityEntity(r);
    expect(Object.keys(e).sort()).toEqual(['eligible', 'municipality', 'programme', 'reasons', 'sources', 'type']);
    expect(e).toMatchObject({
      type: 'eligibility',
      programme: 'akc-kdlz-cs',
      eligible: true,
      municipality: { ags: '06531003', name: 'Buseck', kind: 'gemeinde', district: 'Gießen', population: 13358, populationDate: '2023-12-31' },
    });
    expect(e.sources.map((s) => s.name).join(' ')).toContain('Destatis');
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('needs-review travels as eligible: null', () => {
    const r = service.evaluate('ikz', { kommune: kommune('06531003') }, at('2026-11-26'));
    expect(toEligibilityEntity(r).eligible).toBeNull();
  });
});

describe('unknown programme', () => {
  it('throws', () => expect(() => service.evaluate('gibt-es-nicht', {}, new Date())).toThrow(/Unbekanntes Programm/));
});
