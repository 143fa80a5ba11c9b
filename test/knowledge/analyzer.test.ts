import { describe, expect, it } from 'vitest';
import { GermanAnalyzer, fold, stem } from '../../src/knowledge/analyzer';
import { Lexicon } from '../../src/knowledge/lexicon';

describe('German analysis', () => {
  it('meets umlaut, ae/oe/ue and typo-free spellings at one stem', () => {
    expect(stem('förderung')).toBe(stem('foerderung'));
    expect(stem('förderung')).toBe(stem('forderung'));
    expect(stem('straße')).toBe(stem('strasse'));
    expect(fold('Größe')).toBe('grosse');
  });

  it('drops German and colloquial stop words but keeps IT', () => {
    const a = new GermanAnalyzer();
    expect(a.terms('Wie viel kostet das nix für uns')).toEqual([stem('kostet')]);
    expect(a.terms('IT-Sicherheit')).toContain('it');
  });

  it('drops stop words in every umlaut spelling and colloquial fillers', () => {
    const a = new GermanAnalyzer();
    expect(a.terms('fuer ueber muessen koennte dafuer')).toEqual([]);
    expect(a.terms('inzwischen irgendwie ziemlich komplett')).toEqual([]);
    expect(a.terms('Förderung fuer Kommunen')).toEqual([stem('förderung'), stem('kommunen')]);
  });

  it('drops prepositions, question words and intensifiers that would otherwise be the rarest words of a question', () => {
    const a = new GermanAnalyzer();
    expect(a.terms('Innerhalb welcher Frist, wofür genau, konkret und tatsächlich')).toEqual([stem('frist')]);
    expect(a.terms('how many, how much')).toEqual([]);
  });

  it('drops English filler words, so an English question is read by its topic words only', () => {
    const a = new GermanAnalyzer();
    expect(a.terms("Hi, sorry, quick question: I'm wondering whether someone could actually tell me")).toEqual([]);
    // "Not" stays: in German it is the emergency.
    expect(a.terms('in Not')).toEqual([stem('not')]);
  });

  it('splits compounds into parts the corpus knows', () => {
    const a = new GermanAnalyzer();
    a.learn('Beratung und Sicherheit; Förderung mit Mitteln');
    expect(a.terms('Sicherheitsberatung')).toContain(stem('beratung'));
    expect(a.terms('Sicherheitsberatung')).toContain(stem('sicherheit'));
    // Unknown parts are not invented: without "Wetter" in the corpus nothing is split off.
    expect(a.terms('Wetterberatung')).toEqual([stem('wetterberatung')]);
  });

  it('expands abbreviations, synonyms and English words with a lower boost', () => {
    const lexicon = new Lexicon({
      abkuerzungen: { ikz: ['interkommunale Zusammenarbeit'] },
      synonyme: [['Förderung', 'Zuschuss']],
      englisch: { funding: ['Förderung'] },
    });
    const a = new GermanAnalyzer(lexicon);
    const ikz = a.queryTerms('IKZ').terms;
    expect(ikz[0]).toMatchObject({ term: 'ikz', boost: 1 });
    expect(ikz.map((t) => t.term)).toContain(stem('zusammenarbeit'));
    expect(ikz.slice(1).every((t) => t.boost < 1)).toBe(true);
    expect(a.queryTerms('Zuschuss').terms.map((t) => t.term)).toContain(stem('förderung'));
    const en = a.queryTerms('What funding is there for our town?');
    expect(en.terms.map((t) => t.term)).toContain(stem('förderung'));
    expect(en.english).toBeGreaterThanOrEqual(2);
  });
});
