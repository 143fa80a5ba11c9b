import { describe, expect, it } from 'vitest';
import { createEligibilityService, type Resolution } from '../../src/eligibility';

const service = createEligibilityService();
const { register } = service;

/** What a lookup should give: one AGS, several AGS (question back), outside Hessen, or nothing. */
type Expect = { found: string } | { ambiguous: string[] } | { outside: string | null } | { notFound: true };

// [what the user types, expected resolution, why the case matters]
const table: [string, Expect, string][] = [
  ['Buseck', { found: '06531003' }, 'plain name'],
  ['buseck', { found: '06531003' }, 'lower case'],
  ['  Buseck!  ', { found: '06531003' }, 'spaces and punctuation'],
  ['Limburg', { found: '06533009' }, 'everyday name of Limburg a. d. Lahn'],
  ['Limburg an der Lahn', { found: '06533009' }, 'connector words spelled out'],
  ['Limburg a. d. Lahn', { found: '06533009' }, 'official short name'],
  ['Limburg a. d. Lahn, Kreisstadt', { found: '06533009' }, 'full official name'],
  ['Bad Homburg', { found: '06434001' }, 'without "v. d. Höhe"'],
  ['Bad Homburg vor der Höhe', { found: '06434001' }, 'long form'],
  ['Homburg', { found: '06434001' }, 'without "Bad"'],
  ['Frankfurt', { found: '06412000' }, 'everyday name'],
  ['Frankfurt am Main', { found: '06412000' }, 'with river'],
  ['Frankfurt/Main', { found: '06412000' }, 'slash form'],
  ['Mörfelden-Walldorf', { found: '06433008' }, 'official spelling'],
  ['Moerfelden-Walldorf', { found: '06433008' }, 'oe for ö'],
  ['Mörfelden Walldorf', { found: '06433008' }, 'space instead of hyphen'],
  ['Morfelden Walldorf', { found: '06433008' }, 'umlaut dropped (typo)'],
  ['Mörfelden', { found: '06433008' }, 'prefix'],
  ['Gross-Gerau, Stadt', { found: '06433006' }, 'official name with designation'],
  ['Stadt Groß-Gerau', { found: '06433006' }, '"Stadt" picks the town'],
  ['Kreis Groß-Gerau', { found: '06433' }, '"Kreis" picks the district'],
  ['Kreis Gross Gerau', { found: '06433' }, 'ss and space'],
  ['Landkreis Gießen', { found: '06531' }, '"Landkreis" picks the district'],
  ['Landkreis Giessen', { found: '06531' }, 'ss for ß'],
  ['Stadt Gießen', { found: '06531005' }, '"Stadt" picks the town'],
  ['Giesen Stadt', { found: '06531005' }, 'typo, kind word after the name'],
  ['Fulda Landkreis', { found: '06631' }, 'kind word after the name'],
  ['Universitätsstadt Gießen', { found: '06531005' }, 'designation first'],
  ['Gießen', { ambiguous: ['06531005', '06531'] }, 'town and district'],
  ['Giessen', { ambiguous: ['06531005', '06531'] }, 'town and district, ss'],
  ['Giesen', { ambiguous: ['06531005', '06531'] }, 'typo, still both'],
  ['Kassel', { ambiguous: ['06611000', '06633'] }, 'kreisfreie Stadt and Landkreis'],
  ['Fulda', { ambiguous: ['06631009', '06631'] }, 'town and district'],
  ['Lautertal', { ambiguous: ['06431014', '06535012'] }, 'two Gemeinden'],
  ['Lautertal (Vogelsberg)', { found: '06535012' }, 'with qualifier'],
  ['Lautertal Odenwald', { found: '06431014' }, 'qualifier without brackets'],
  ['Offenbach', { ambiguous: ['06413000', '06438'] }, 'city and Kreis Offenbach'],
  ['Kreis Offenbach', { found: '06438' }, 'district'],
  ['Offenbach am Main', { found: '06413000' }, 'city'],
  ['Darmstadt', { found: '06411000' }, 'not Darmstadt-Dieburg'],
  ['Darmstadt-Dieburg', { found: '06432' }, 'district'],
  ['Main-Kinzig-Kreis', { found: '06435' }, 'district name ending in Kreis'],
  ['Main Kinzig', { found: '06435' }, 'without "Kreis"'],
  ['MKK', { found: '06435' }, 'abbreviation'],
  ['Wetterau', { found: '06440' }, 'Wetteraukreis without Kreis'],
  ['Nauheim', { found: '06433009' }, 'the Gemeinde, not Bad Nauheim'],
  ['Bad Nauheim', { found: '06440002' }, 'the Stadt'],
  ['Rüsselsheim', { found: '06433012' }, 'without "am Main"'],
  ['Ruesselsheim', { found: '06433012' }, 'ue for ü'],
  ['Wiesbadn', { found: '06414000' }, 'typo: missing letter'],
  ['Wiesbaedn', { found: '06414000' }, 'typo: swapped letters'],
  ['Bsueck', { found: '06531003' }, 'typo: swapped letters'],
  ['Hombreg Efze', { found: '06634009' }, 'typo in two-word name'],
  ['Homberg', { ambiguous: ['06634009', '06535009'] }, 'Homberg (Efze) and Homberg (Ohm)'],
  ['06531003', { found: '06531003' }, '8-digit AGS'],
  ['06 531 003', { found: '06531003' }, 'AGS with spaces'],
  ['06531', { found: '06531' }, '5-digit Kreisschlüssel'],
  ['06999999', { notFound: true }, 'unknown Hessian AGS'],
  ['07315000', { outside: null }, 'AGS of another Land (Mainz)'],
  ['Mainz', { outside: 'Rheinland-Pfalz' }, 'neighbouring state capital'],
  ['Heidelberg', { outside: 'Baden-Württemberg' }, 'outside'],
  ['Würzburg', { outside: 'Bayern' }, 'outside'],
  ['Wuerzburg', { outside: 'Bayern' }, 'outside, ue'],
  ['Göttingen', { outside: 'Niedersachsen' }, 'outside'],
  ['Siegen', { outside: 'Nordrhein-Westfalen' }, 'outside'],
  ['Aschaffenburg', { outside: 'Bayern' }, 'outside, close to the border'],
  ['Müchen', { outside: 'Bayern' }, 'outside, typo'],
  ['Weimar', { found: '06534020' }, 'register wins: Weimar (Lahn)'],
  ['Münster', { found: '06432015' }, 'register wins: Münster (Hessen)'],
  ['Fürth', { found: '06431007' }, 'register wins: Fürth (Bergstraße)'],
  ['für Buseck', { found: '06531003' }, 'filler word'],
  ['Gemeinde Buseck', { found: '06531003' }, 'kind word'],
  ['Landkreis Buseck', { notFound: true }, 'Buseck is no district'],
  ['asdfghjk', { notFound: true }, 'nonsense'],
  ['xy', { notFound: true }, 'too short'],
  ['', { notFound: true }, 'empty'],
  ['Hessen', { notFound: true }, 'the Land is no Kommune'],
];

function summarise(r: Resolution): Expect {
  switch (r.kind) {
    case 'found': return { found: r.kommune.ags };
    case 'ambiguous': return { ambiguous: r.candidates.map((k) => k.ags).sort() };
    case 'outside-hessen': return { outside: r.land ?? null };
    case 'not-found': return { notFound: true };
  }
}

describe('register lookups', () => {
  it('has at least 50 cases', () => expect(table.length).toBeGreaterThanOrEqual(50));
  it.each(table)('%s → %j (%s)', (input, expected) => {
    const want = 'ambiguous' in expected ? { ambiguous: [...expected.ambiguous].sort() } : expected;
    expect(summarise(register.resolve(input))).toEqual(want);
  });
});

describe('register contents', () => {
  it('holds 421 municipalities and 21 Landkreise with unique AGS', () => {
    const all = register.all();
    expect(all).toHaveLength(442);
    expect(all.filter((k) => k.kind === 'landkreis')).toHaveLength(21);
    expect(new Set(all.map((k) => k.ags)).size).toBe(442);
  });

  it('keeps official data unchanged (spot checks from the Destatis file)', () => {
    expect(register.byAgs('06531003')).toMatchObject({ name: 'Buseck', shortName: 'Buseck', kind: 'gemeinde', district: 'Gießen', population: 13358, populationDate: '2023-12-31' });
    expect(register.byAgs('06533009')).toMatchObject({ shortName: 'Limburg a. d. Lahn', population: 36506 });
    expect(register.byAgs('06412000')?.population).toBe(775790);
  });

  it('names Landkreise the way they are called', () => {
    expect(register.byAgs('06531')?.shortName).toBe('Landkreis Gießen');
    expect(register.byAgs('06433')?.shortName).toBe('Kreis Groß-Gerau');
    expect(register.byAgs('06435')?.shortName).toBe('Main-Kinzig-Kreis');
  });

  it('finds the district of a municipality for the question back', () => {
    expect(register.districtOf(register.byAgs('06535012')!)?.shortName).toBe('Vogelsbergkreis');
    expect(register.districtOf(register.byAgs('06431014')!)?.shortName).toBe('Kreis Bergstraße');
    expect(register.districtOf(register.byAgs('06611000')!)).toBeUndefined();
  });

  it('suggests close names when nothing fits', () => {
    const r = register.resolve('Bussek Ost');
    expect(r.kind).toBe('not-found');
  });

  it('lists ambiguous towns before districts', () => {
    const r = register.resolve('Gießen');
    expect(r.kind === 'ambiguous' && r.candidates[0].kind).toBe('stadt');
  });
});
