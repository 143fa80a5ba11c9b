import MiniSearch, { type SearchOptions } from 'minisearch';
import { describe, expect, it } from 'vitest';
import { FastMiniSearch } from '../../src/knowledge/fast-minisearch';

/** Analysed documents: per field a list of terms (repeats and empty fields on purpose). */
const docs: { id: number; head: string[]; text: string[] }[] = [
  { id: 0, head: ['ikz', 'forder'], text: ['drei', 'kommun', 'forder', 'forder', 'euro', '75000'] },
  { id: 1, head: ['kdlz', 'cs'], text: ['kostenlos', 'kommun', 'berat', 'sicherheitsberat', 'berat'] },
  { id: 2, head: [], text: ['ransomwar', 'backup', 'offlin', 'backup', 'backup'] },
  { id: 3, head: ['hessen3c'], text: [] },
  { id: 4, head: ['ikz', 'antrag'], text: ['gruppenantrag', 'antrag', 'kommun', 'dienstweg', 'monat'] },
];
const fields = ['head', 'text'] as const;
const options = { storeFields: [] as string[], tokenize: (t: string) => (t ? t.split(' ') : []), processTerm: (t: string) => t };

function stock(): MiniSearch {
  const ms = new MiniSearch({ ...options, fields: [...fields] });
  ms.addAll(docs.map((d) => ({ id: d.id, head: d.head.join(' '), text: d.text.join(' ') })));
  return ms;
}

function bulk(): FastMiniSearch<unknown> {
  const terms = [...new Set(docs.flatMap((d) => [...d.head, ...d.text]))];
  const id = new Map(terms.map((t, i) => [t, i]));
  const ms = new FastMiniSearch<unknown>(fields, options);
  const fieldsOf = docs.map((d) => [Int32Array.from(d.head, (t) => id.get(t)!), Int32Array.from(d.text, (t) => id.get(t)!)]);
  ms.bulkLoad(terms, { count: docs.length, id: (i) => docs[i].id, terms: (i, f) => fieldsOf[i][f] });
  return ms;
}

describe('FastMiniSearch.bulkLoad', () => {
  const queries: [string, SearchOptions][] = [
    ['kommun forder', { boost: { head: 2 } }],
    ['backup', {}],
    ['berat kostenlos kdlz', { boost: { head: 2, text: 1 } }],
    ['antrag', { prefix: true }],
    ['ransomwear hessen3c', { fuzzy: 0.2 }],
    ['nichtda', {}],
  ];

  it('finds the same documents with the same scores as MiniSearch.add()', () => {
    const a = stock();
    const b = bulk();
    for (const [q, opts] of queries) {
      const ra = a.search(q, opts);
      const rb = b.search(q, opts);
      expect(rb.map((r) => r.id), q).toEqual(ra.map((r) => r.id));
      rb.forEach((r, i) => {
        expect(r.score, q).toBeCloseTo(ra[i].score, 10);
        expect(r.queryTerms, q).toEqual(ra[i].queryTerms);
        expect(r.match, q).toEqual(ra[i].match);
      });
    }
    expect(b.documentCount).toBe(a.documentCount);
    expect(b.termCount).toBe(a.termCount);
  });

  it('answers documentHasTerm from the postings, in any field', () => {
    const b = bulk();
    expect(b.documentHasTerm('ikz', 0)).toBe(true);
    expect(b.documentHasTerm('euro', 0)).toBe(true);
    expect(b.documentHasTerm('euro', 1)).toBe(false);
    expect(b.documentHasTerm('unbekannt', 0)).toBe(false);
    expect(b.documentHasTerm('ikz', 99)).toBe(false);
  });

  it('refuses a second bulk load', () => {
    const b = bulk();
    expect(() => b.bulkLoad(['x'], { count: 1, id: () => 9, terms: () => new Int32Array([0]) })).toThrow(/empty index/);
  });
});
