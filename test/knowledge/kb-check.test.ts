import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/knowledge/articles';
import { checkKnowledgeBase } from '../../src/knowledge/kb-check';
import { knowledgeDir } from '../../src/paths';

/** A valid article: two sources, each used by one paragraph (lines 1–22 front matter). */
const good = (title: string) => `---
title: ${title}
sources:
  - id: amt
    publisher: Beispielbehörde
    title: Seite X
    url: https://example.org/x
    as_of: 2024-05-02
  - id: presse
    publisher: Beispielzeitung
    title: Bericht Y
    url: https://example.org/y
    as_of: ohne Datum
    as_of_note: frühestens 2024
tags: [Test]
questions:
  - Frage eins zu ${title}?
  - Frage zwei zu ${title}?
  - Frage drei zu ${title}?
  - Frage vier zu ${title}?
  - Frage fünf zu ${title}?
  - Frage sechs zu ${title}?
---

# ${title}

## Abschnitt

Ein Satz vom Amt. [^amt]

Ein Satz aus der Zeitung.
Noch ein Satz aus der Zeitung. [^presse]
`;

function kb(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-'));
  mkdirSync(path.join(dir, 'articles'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, 'articles', name), content);
  return dir;
}

describe('kb:check', () => {
  it('accepts the shipped knowledge base', () => {
    const { problems, articleCount } = checkKnowledgeBase(knowledgeDir());
    expect(problems).toEqual([]);
    expect(articleCount).toBeGreaterThanOrEqual(20);
  });

  it('reports each kind of problem with file and line', () => {
    const A = good('A');
    const cases: [string, string, number, RegExp][] = [
      ['no front matter', '# Titel\n\nText', 1, /Front Matter fehlt/],
      ['bad date', A.replace('as_of: 2024-05-02', 'as_of: 2024-13-01'), 4, /Quelle "amt": as_of "2024-13-01"/],
      ['future date', A.replace('as_of: 2024-05-02', 'as_of: 2999-01-01'), 4, /as_of/],
      ['relative url', A.replace('https://example.org/x', '/foerderung'), 4, /Quelle "amt": url .* keine absolute/],
      ['source without publisher', A.replace('    publisher: Beispielbehörde\n', ''), 4, /Quelle "amt": Feld "publisher" fehlt/],
      ['duplicate source id', A.replace('id: presse', 'id: amt'), 4, /Quelle "amt": id doppelt/],
      ['bad source id', A.replace('id: presse', 'id: Presse Hessen'), 9, /"id" fehlt oder ist kein Kürzel/],
      ['no sources', A.replace(/sources:\n( {2,}.*\n)+/, ''), 1, /Feld "sources" fehlt/],
      ['missing title', A.replace('title: A\n', ''), 1, /"title" fehlt/],
      ['unknown field', A.replace('tags: [Test]', 'tags: [Test]\ntitel: B'), 16, /unbekanntes Feld "titel"/],
      ['old one-source field', A.replace('tags: [Test]', 'tags: [Test]\nurl: https://example.org/z'), 16, /Feld "url" gibt es nicht mehr/],
      ['empty section', A + '\n## Leer\n\n', 34, /Abschnitt "Leer" ist leer/],
      ['paragraph without marker', A.replace('Ein Satz vom Amt. [^amt]', 'Ein Satz vom Amt.'), 29, /Absatz ohne Quellenmarker/],
      ['marker without source', A.replace('[^amt]', '[^gibtsnicht]'), 29, /\[\^gibtsnicht\] ohne passende Quelle/],
      ['unused source', A.replace('[^presse]', '[^amt]'), 9, /Quelle "presse" wird von keinem Absatz verwendet/],
      ['marker inside a line', A.replace('Ein Satz vom Amt. [^amt]', 'Ein Satz [^amt] vom Amt. [^amt]'), 29, /nur einmal und nur am Zeilenende/],
      ['old source line', A + '> Quelle: X, https://example.org/y, Stand: 2020\n', 33, /Quellenzeilen "> Quelle: …" gibt es nicht mehr/],
      ['yaml with colon', A.replace('title: A', 'title: A: B'), 2, /YAML/],
      ['no questions', A.replace(/questions:\n(  - .*\n)+/, ''), 15, /"questions" fehlt/],
      ['too few questions', A.replace(/(  - Frage (drei|vier|fünf|sechs) .*\n)/g, ''), 16, /nur 2 Fragen/],
      ['questions not last', A.replace('---\n\n#', 'emergency: false\n---\n\n#'), 16, /letzte Feld/],
      ['duplicate question', A.replace('Frage sechs zu A?', 'frage EINS zu a'), 22, /Frage doppelt/],
      ['emergency not boolean', A.replace('tags: [Test]', 'tags: [Test]\nemergency: ja'), 16, /"emergency" muss true oder false/],
      ['programme not an id', A.replace('tags: [Test]', 'tags: [Test]\nprogramme: IKZ Förderung'), 16, /"programme" muss eine Programm-ID/],
    ];
    for (const [name, content, line, message] of cases) {
      const { problems, article } = parseArticle('articles/x.md', content);
      expect(article, name).toBeUndefined();
      expect(problems, name).toContainEqual(expect.objectContaining({ file: 'articles/x.md', line, message: expect.stringMatching(message) }));
    }
  });

  it('gives every passage the source its marker names', () => {
    const { article, problems } = parseArticle('articles/x.md', good('A'));
    expect(problems).toEqual([]);
    expect(article?.sections.map((s) => [s.heading, s.ref.id, s.text])).toEqual([
      ['Abschnitt', 'amt', 'Ein Satz vom Amt.'],
      ['Abschnitt', 'presse', 'Ein Satz aus der Zeitung.\nNoch ein Satz aus der Zeitung.'],
    ]);
    expect(article?.sections[1].ref).toEqual({
      id: 'presse',
      source: 'Beispielzeitung, Bericht Y',
      publisher: 'Beispielzeitung',
      title: 'Bericht Y',
      url: 'https://example.org/y',
      asOf: 'ohne Datum',
      asOfNote: 'frühestens 2024',
    });
    expect(article?.sources.map((s) => s.id)).toEqual(['amt', 'presse']);
  });

  it('joins consecutive statements of one source into one passage, a line marker closes a group early', () => {
    const content = good('A').replace('Ein Satz vom Amt. [^amt]', 'Erster Satz vom Amt. [^amt]\nZweiter Satz vom Amt. [^amt]\nEin Satz der Zeitung mitten im Absatz. [^presse]');
    const { article } = parseArticle('articles/x.md', content);
    expect(article?.sections.map((s) => [s.ref.id, s.text])).toEqual([
      ['amt', 'Erster Satz vom Amt.\nZweiter Satz vom Amt.'],
      ['presse', 'Ein Satz der Zeitung mitten im Absatz.\n\nEin Satz aus der Zeitung.\nNoch ein Satz aus der Zeitung.'],
    ]);
  });

  it('reads the question variants, the emergency flag and the programme', () => {
    const { article, problems } = parseArticle('articles/x.md', good('A').replace('tags: [Test]', 'tags: [Test]\nprogramme: ikz-rahmenvereinbarung\nemergency: true'));
    expect(problems).toEqual([]);
    expect(article?.questions).toHaveLength(6);
    expect(article?.questions[0]).toBe('Frage eins zu A?');
    expect(article?.emergency).toBe(true);
    expect(article?.programme).toBe('ikz-rahmenvereinbarung');
    const plain = parseArticle('articles/y.md', good('B')).article;
    expect(plain?.emergency).toBe(false);
    expect(plain?.programme).toBeUndefined();
  });

  it('finds duplicate titles across files and a broken synonyms file', () => {
    const dir = kb({ 'a.md': good('Gleich'), 'b.md': good('gleich').replace(/zu gleich\?/g, 'zu B?') });
    writeFileSync(path.join(dir, 'synonyms.yaml'), 'synonyme:\n  - [nur_eins]\n');
    const { problems } = checkKnowledgeBase(dir);
    expect(problems.map((p) => `${p.file}:${p.message}`)).toEqual([
      expect.stringMatching(/^articles\/b\.md:Titel doppelt/),
      expect.stringMatching(/^synonyms\.yaml:.*mindestens zwei/),
    ]);
  });

  it('finds a question variant in two articles and a second emergency article', () => {
    const emergency = (t: string) => good(t).replace('tags: [Test]', 'tags: [Test]\nemergency: true');
    const dir = kb({ 'a.md': emergency('A'), 'b.md': emergency('B').replace('Frage eins zu B?', 'Frage eins zu A') });
    const { problems } = checkKnowledgeBase(dir);
    expect(problems.map((p) => `${p.file}:${p.message}`)).toEqual([
      expect.stringMatching(/^articles\/b\.md:Frage "Frage eins zu A" steht auch in articles\/a\.md/),
      expect.stringMatching(/^articles\/b\.md:nur ein Artikel darf "emergency: true"/),
    ]);
  });

  it('finds an article that names a programme the rules do not have', () => {
    const dir = kb({ 'a.md': good('A').replace('tags: [Test]', 'tags: [Test]\nprogramme: ikz-rahmenvereinbarung'), 'b.md': good('B').replace('tags: [Test]', 'tags: [Test]\nprogramme: ikz-alt') });
    const { problems } = checkKnowledgeBase(dir, { programmeIds: new Set(['ikz-rahmenvereinbarung', 'kdlz-cs-2018']) });
    expect(problems.map((p) => `${p.file}:${p.message}`)).toEqual([expect.stringMatching(/^articles\/b\.md:programme "ikz-alt" gibt es nicht/)]);
  });
});
