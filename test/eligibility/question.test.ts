import { describe, expect, it } from 'vitest';
import { createEligibilityService, recogniseAssociation } from '../../src/eligibility';

const service = createEligibilityService();

function summary(text: string): { kommune?: string; programme?: string; stage?: number } {
  const q = service.parseQuestion(text);
  const k = q.kommune;
  const kommune = !k ? undefined : k.kind === 'found' ? k.kommune.ags : k.kind === 'ambiguous' ? `?${k.candidates.length}` : k.kind === 'outside-hessen' ? `outside:${k.input}` : 'not-found';
  return { ...(kommune && { kommune }), ...(q.programmeId && { programme: q.programmeId }), ...(q.facts?.stage && { stage: q.facts.stage }) };
}

describe('one-sentence questions', () => {
  it.each([
    ['Kann Buseck das KDLZ nutzen?', { kommune: '06531003', programme: 'kdlz' }],
    ['Ist Limburg förderfähig?', { kommune: '06533009', programme: 'ikz' }],
    ['Ist Limburg an der Lahn foerderfaehig?', { kommune: '06533009', programme: 'ikz' }],
    ['Bekommt Bad Homburg v. d. Höhe IKZ-Förderung?', { kommune: '06434001', programme: 'ikz' }],
    ['Kann der Landkreis Gießen das KDLZ nutzen?', { kommune: '06531', programme: 'kdlz' }],
    ['Darf die Stadt Gießen den Sicherheitscheck machen?', { kommune: '06531005', programme: 'kdlz' }],
    ['Kann Gießen das KDLZ nutzen?', { kommune: '?2', programme: 'kdlz' }],
    ['Kann Mörfelden-Walldorf den Stresstest machen?', { kommune: '06433008', programme: 'kdlz', stage: 2 }],
    ['Kann Mainz das KDLZ nutzen?', { kommune: 'outside:Mainz', programme: 'kdlz' }],
    ['Können wir das KDLZ nutzen?', { programme: 'kdlz' }],
    ['Kann Buseck mitmachen?', { kommune: '06531003' }],
    ['Wie ist das Wetter?', {}],
    ['Kann die Gemeinde Sinn das KDLZ nutzen?', { kommune: '06532020', programme: 'kdlz' }],
    ['Gilt das für 06531003 beim KDLZ?', { kommune: '06531003', programme: 'kdlz' }],
    ['Förderung für das KDLZ?', {}],
    // an association asks: the place in its name is not the applicant; the dialog asks for the name
    ['Kann der Zweckverband Buseck IKZ-Förderung bekommen?', { programme: 'ikz' }],
  ])('%s', (text, expected) => {
    expect(summary(text)).toEqual(expected);
  });
});

describe('recogniseAssociation (applicants the register does not list)', () => {
  it.each([
    ['Zweckverband Abwasser Oberes Fuldatal', { name: 'Zweckverband Abwasser Oberes Fuldatal', kind: 'zweckverband' }],
    ['  unser   Zweckverband  ', { name: 'unser Zweckverband', kind: 'zweckverband' }],
    ['für den Zweckverbandes Mittelhessen', { name: 'für den Zweckverbandes Mittelhessen', kind: 'zweckverband' }],
    ['Gemeindeverwaltungsverband Schwalm', { name: 'Gemeindeverwaltungsverband Schwalm', kind: 'verband' }],
    ['Abwasserverband', { name: 'Abwasserverband', kind: 'verband' }],
    ['Buseck', undefined],
    ['Verbandsgemeinde Mainz', undefined],
    ['', undefined],
  ] as const)('%j → %j', (text, expected) => {
    expect(recogniseAssociation(text)).toEqual(expected);
  });

  it('caps the name', () => {
    expect(recogniseAssociation('Zweckverband ' + 'x'.repeat(5000))!.name.length).toBe(120);
  });
});
