import { describe, expect, it } from 'vitest';
import { createEligibilityService, programmeNotice, toEligibilityEntity, type EligibilityFacts, type Kommune } from '../../src/eligibility';

const service = createEligibilityService();
const kommune = (ags: string): Kommune => service.register.byAgs(ags)!;
const at = (isoDay: string, hour = 12): Date => new Date(`${isoDay}T${String(hour).padStart(2, '0')}:00:00+01:00`);

/** A real row with its population replaced: boundaries need exact numbers the register may not hold. */
const withPopulation = (population: number): Kommune => ({ ...kommune('06531003'), population });
const rule = (r: ReturnType<typeof service.evaluate>, id: string) => r.reasons.find((x) => x.rule === id);

describe('KDLZ CS 2016–2020: ≤ 35,000 inhabitants from January 2016, all Städte and Gemeinden from spring 2017', () => {
  it.each([
    // before the opening: the limit, boundary included
    ['2016-06-01', 35_000, 'eligible', 'einwohner-hoechstens-35000', true],
    ['2016-06-01', 35_001, 'not-eligible', 'einwohner-hoechstens-35000', false],
    ['2017-02-28', 35_001, 'not-eligible', 'einwohner-hoechstens-35000', false],
    // spring 2017, day not in any source: larger towns are open, smaller ones were eligible anyway
    ['2017-03-01', 35_001, 'needs-review', 'oeffnung-fruehjahr-2017', null],
    ['2017-05-31', 35_001, 'needs-review', 'oeffnung-fruehjahr-2017', null],
    ['2017-04-15', 35_000, 'eligible', 'oeffnung-fruehjahr-2017', true],
    // from then on: every Stadt and Gemeinde
    ['2017-06-01', 35_001, 'eligible', 'alle-staedte-gemeinden', true],
    ['2020-12-31', 775_790, 'eligible', 'alle-staedte-gemeinden', true],
  ] as const)('%s, population %i → %s (%s met=%s)', (d, population, outcome, id, met) => {
    const r = service.evaluate('kdlz-cs-2018', { kommune: withPopulation(population) }, at(d));
    expect(r.outcome).toBe(outcome);
    expect(rule(r, id)?.met).toBe(met);
    // exactly one of the three population rules applies on any day
    expect(r.reasons.filter((x) => ['einwohner-hoechstens-35000', 'oeffnung-fruehjahr-2017', 'alle-staedte-gemeinden'].includes(x.rule))).toHaveLength(1);
  });

  it('a Stadt over 35,000 inhabitants in 2018 → "ja, seit Frühjahr 2017" (Mörfelden-Walldorf, 35,359)', () => {
    const r = service.evaluate('kdlz-cs-2018', { kommune: kommune('06433008') }, at('2018-09-05'));
    expect(r.kommune?.kind).toBe('stadt');
    expect(r.outcome).toBe('eligible');
    expect(rule(r, 'alle-staedte-gemeinden')?.text).toMatch(/^Ja, seit Frühjahr 2017/);
    expect(rule(r, 'alle-staedte-gemeinden')?.text).toContain('35.359');
    expect(r.reasons.some((x) => x.rule === 'einwohner-hoechstens-35000')).toBe(false);
  });

  it('the same Stadt in 2016 was over the limit', () => {
    const r = service.evaluate('kdlz-cs-2018', { kommune: kommune('06433008') }, at('2016-09-05'));
    expect(r.outcome).toBe('not-eligible');
    expect(rule(r, 'einwohner-hoechstens-35000')?.text).toContain('35.359');
  });

  it('no user text names a made-up day of the opening, only "Frühjahr 2017"', () => {
    const p = service.programmes.find((x) => x.id === 'kdlz-cs-2018')!;
    const userTexts = JSON.stringify([p.title, p.summary, p.validityNote, p.expiredText, p.notYetText, p.notes, p.nextStep, p.conditions.map((c) => [c.label, c.text])]);
    expect(userTexts).toContain('Frühjahr 2017');
    expect(userTexts).not.toMatch(/\d{1,2}\.\s?(0?[3-6]\.|März|April|Mai|Juni)\s?2017/);
  });

  it('a Landkreis is neither Stadt nor Gemeinde', () => {
    const r = service.evaluate('kdlz-cs-2018', { kommune: kommune('06531') }, at('2018-09-05'));
    expect(r.outcome).toBe('not-eligible');
    expect(rule(r, 'stadt-oder-gemeinde')).toMatchObject({ met: false, text: expect.stringContaining('Landkreis') });
  });

  it('cites PM 228/2018 with its caveat that it still names 35,000', () => {
    const r = service.evaluate('kdlz-cs-2018', { kommune: kommune('06531003') }, at('2018-09-05'));
    expect(r.notes.join(' ')).toMatch(/Nr\. 228 .*35\.000.*seit Frühjahr 2017/s);
    expect(r.sources.map((s) => s.name).join(' ')).toMatch(/Pressemitteilung Nr\. 228/);
  });

  it.each([
    ['2015-12-31', 'not-yet-valid', 'needs-review'],
    ['2016-01-01', 'valid', 'eligible'],
    ['2020-12-31', 'valid', 'eligible'],
    ['2021-01-01', 'may-have-expired', 'needs-review'],
  ] as const)('on %s the rules are %s → %s', (d, status, outcome) => {
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
    [{ allPartnersHessian: false }, 'partner-hessisch', null, 'needs-review', 75_000],
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
    ['2026-12-31', 'valid', 'eligible'],
    ['2027-01-01', 'may-have-expired', 'needs-review'],
  ] as const)('on %s the Rahmenvereinbarung is %s → %s', (d, status, outcome) => {
    const r = service.evaluate('ikz', good, at(d));
    expect(r.validity.status).toBe(status);
    expect(r.outcome).toBe(outcome);
  });

  it('says plainly that the rule may have expired after the five-year extension', () => {
    const r = service.evaluate('ikz', good, at('2027-03-01'));
    expect(rule(r, 'gueltigkeit')?.text).toMatch(/kann die Regel abgelaufen sein/);
  });

  it('uses the calendar day in Hessen, not UTC (23:30 UTC on 31 Dec = 1 Jan in Berlin)', () => {
    const r = service.evaluate('ikz', good, new Date('2026-12-31T23:30:00Z'));
    expect(r.validity.date).toBe('2027-01-01');
    expect(r.validity.status).toBe('may-have-expired');
  });

  it('a Landkreis may apply too', () => {
    expect(service.evaluate('ikz', { ...good, kommune: kommune('06531') }, day).outcome).toBe('eligible');
  });

  it('partners outside Hessen: "prüfen" with the KIKZ, not a hard no', () => {
    const r = service.evaluate('ikz', { ...good, allPartnersHessian: false }, day);
    expect(rule(r, 'partner-hessisch')?.text).toMatch(/sagen die Quellen nicht.*Kompetenzzentrum/);
    expect(r.nextStep).toMatch(/Kompetenzzentrum für Interkommunale Zusammenarbeit/);
  });

  it.each([
    ['06531003', 'Buseck', 'der Gemeindevertretung'],
    ['06533009', 'Limburg a. d. Lahn', 'der Stadtverordnetenversammlung'],
    ['06411000', 'Darmstadt', 'der Stadtverordnetenversammlung'],
    ['06531', 'Landkreis Gießen', 'des Kreistags'],
  ])('the next step names the body that decides for %s (%s): %s', (ags, name, body) => {
    const r = service.evaluate('ikz', { ...good, kommune: kommune(ags) }, day);
    expect(r.outcome).toBe('eligible');
    expect(r.nextStep).toContain(`für ${name} der Beschluss ${body}`);
    expect(r.nextStep).not.toMatch(/\{\w+\}/);
  });
});

describe('IKZ: associations with legal personality may apply (not in the register)', () => {
  const facts: EligibilityFacts = { partners: 3, allPartnersHessian: true, durationYears: 5, savingsPercent: 15 };
  const day = at('2026-06-01');

  it('a Zweckverband fulfils the applicant rule; the result names it and its body', () => {
    const r = service.evaluate('ikz', { ...facts, association: { name: 'Zweckverband Abwasser Oberes Fuldatal', kind: 'zweckverband' } }, day);
    expect(r.outcome).toBe('eligible');
    expect(rule(r, 'in-hessen')).toMatchObject({ met: true, text: expect.stringMatching(/„Zweckverband Abwasser Oberes Fuldatal“ ist nach Ihrer Angabe ein Zweckverband/) });
    expect(r.nextStep).toContain('des zuständigen Gremiums des Verbands');
    expect(r.association?.name).toBe('Zweckverband Abwasser Oberes Fuldatal');
    expect(r.sources.map((s) => s.name).join(' ')).not.toContain('Destatis');
  });

  it('another "…verband" is open: legal personality is not something the bot can check', () => {
    const r = service.evaluate('ikz', { ...facts, association: { name: 'Abwasserverband Schwalm', kind: 'verband' } }, day);
    expect(r.outcome).toBe('needs-review');
    expect(rule(r, 'in-hessen')?.met).toBeNull();
  });

  it('the AKC module is for the 442 Kommunen: an association gets "offen" with the reason, not yes', () => {
    const r = service.evaluate('kdlz', { association: { name: 'Zweckverband X', kind: 'zweckverband' }, stage: 1 }, day);
    expect(r.outcome).toBe('needs-review');
    expect(rule(r, 'in-hessen')?.text).toMatch(/442/);
  });
});

describe('IKZ: caveat from 90 days before the assumed end (validUntil 2026-12-31)', () => {
  const good: EligibilityFacts = { kommune: kommune('06631018'), partners: 3, allPartnersHessian: true, durationYears: 5, savingsPercent: 15 };
  const CAVEAT = 'läuft nach heutigem Stand bis Ende 2026; Fortführung nicht belegt – vor einem Antrag beim KIKZ klären';

  it.each([
    ['2026-10-01', false],
    ['2026-10-02', true],
    ['2026-11-29', true], // "today" two days before 1 Dec, where the issue found no caveat
    ['2026-12-31', true],
  ] as const)('eligibility on %s carries the caveat: %s', (d, shown) => {
    const r = service.evaluate('ikz', good, at(d));
    expect(r.outcome).toBe('eligible');
    expect(r.notes.join(' ').includes(CAVEAT)).toBe(shown);
    expect(r.validity.notice?.includes(CAVEAT) ?? false).toBe(shown);
    if (shown) expect(r.notes[0]).toContain(CAVEAT);
    expect(toEligibilityEntity(r).notice?.includes(CAVEAT) ?? false).toBe(shown);
  });

  it('after the end the answer is the "may have expired" path (no second caveat)', () => {
    const r = service.evaluate('ikz', good, at('2027-01-01'));
    expect(r.outcome).toBe('needs-review');
    expect(rule(r, 'gueltigkeit')?.text).toMatch(/kann die Regel abgelaufen sein/);
    expect(r.validity.notice).toBeUndefined();
  });
});

describe('programmeNotice (for knowledge answers of articles marked "programme: <id>")', () => {
  it.each([
    ['ikz-rahmenvereinbarung', '2026-11-26T10:00:00Z', 'ending-soon', /läuft nach heutigem Stand bis Ende 2026; Fortführung nicht belegt – vor einem Antrag beim KIKZ klären/],
    ['ikz', '2026-10-02T10:00:00Z', 'ending-soon', /Fortführung nicht belegt/],
    ['ikz', '2027-02-01T10:00:00Z', 'may-have-expired', /kann die Regel abgelaufen sein/],
    ['kdlz-cs-2018', '2024-05-01T10:00:00Z', 'may-have-expired', /gilt nur bis Ende 2020/],
  ] as const)('%s on %s → %s', (id, iso, kind, text) => {
    const n = programmeNotice(id, new Date(iso));
    expect(n?.kind).toBe(kind);
    expect(n?.text).toMatch(text);
    expect(n?.source.url).toMatch(/^https?:\/\//);
    expect(service.programmeNotice(id, new Date(iso))).toEqual(n);
  });

  it.each([
    ['ikz', '2026-10-01T10:00:00Z'],
    ['ikz', '2026-06-01T10:00:00Z'],
    ['kdlz', '2026-11-26T10:00:00Z'], // the AKC module has no end date
    ['gibt-es-nicht', '2026-11-26T10:00:00Z'],
  ])('%s on %s → nothing', (id, iso) => {
    expect(programmeNotice(id, new Date(iso))).toBeUndefined();
  });

  it('uses the Berlin day: 22:30 UTC on 1 Oct is 2 Oct in Hessen', () => {
    expect(programmeNotice('ikz', new Date('2026-10-01T22:30:00Z'))?.kind).toBe('ending-soon');
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
