import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/knowledge/articles';
import { checkKnowledgeBase } from '../../src/knowledge/kb-check';
import { knowledgeDir } from '../../src/paths';

const good = (title: string) => `---
title: ${title}
source: Beispielbehörde, Seite X
url: https://example.org/x
as_of: 2024-05-02
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

Ein Satz.
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
    const cases: [string, string, number, RegExp][] = [
      ['no front matter', '# Titel\n\nText', 1, /Front Matter fehlt/],
      ['bad date', good('A').replace('as_of: 2024-05-02', 'as_of: 2024-13-01'), 5, /as_of/],
      ['future date', good('A').replace('as_of: 2024-05-02', 'as_of: 2999-01-01'), 5, /as_of/],
      ['relative url', good('A').replace('https://example.org/x', '/foerderung'), 4, /absolute/],
      ['missing title', good('A').replace('title: A\n', ''), 1, /"title" fehlt/],
      ['unknown field', good('A').replace('tags: [Test]', 'tags: [Test]\ntitel: B'), 7, /unbekanntes Feld "titel"/],
      ['empty section', good('A') + '\n## Leer\n\n', 22, /Abschnitt "Leer" ist leer/],
      ['bad source line', good('A') + '> Quelle: irgendwo\n', 21, /Quellenzeile/],
      ['bad source date', good('A') + '> Quelle: X, https://example.org/y, Stand: gestern\n', 21, /Stand "gestern"/],
      ['no questions', good('A').replace(/questions:\n(  - .*\n)+/, ''), 6, /"questions" fehlt/],
      ['too few questions', good('A').replace(/(  - Frage (drei|vier|fünf|sechs) .*\n)/g, ''), 7, /nur 2 Fragen/],
      ['questions not last', good('A').replace('---\n\n#', 'emergency: false\n---\n\n#'), 7, /letzte Feld/],
      ['duplicate question', good('A').replace('Frage sechs zu A?', 'frage EINS zu a'), 13, /Frage doppelt/],
      ['emergency not boolean', good('A').replace('tags: [Test]', 'tags: [Test]\nemergency: ja'), 7, /"emergency" muss true oder false/],
      ['yaml with colon', good('A').replace('title: A', 'title: A: B'), 2, /YAML/],
    ];
    for (const [name, content, line, message] of cases) {
      const { problems } = parseArticle('articles/x.md', content);
      expect(problems, name).toContainEqual(expect.objectContaining({ file: 'articles/x.md', line, message: expect.stringMatching(message) }));
    }
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

  it('reads the question variants and the emergency flag', () => {
    const { article, problems } = parseArticle('articles/x.md', good('A').replace('tags: [Test]', 'tags: [Test]\nemergency: true'));
    expect(problems).toEqual([]);
    expect(article?.questions).toHaveLength(6);
    expect(article?.questions[0]).toBe('Frage eins zu A?');
    expect(article?.emergency).toBe(true);
    expect(parseArticle('articles/y.md', good('B')).article?.emergency).toBe(false);
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

  it('takes a section source line as that section’s citation', () => {
    const { article } = parseArticle('articles/x.md', good('A') + '> Quelle: Andere Stelle, https://example.org/y, Stand: ohne Datum (frühestens 2024)\n');
    expect(article?.sections[0].ref).toEqual({ source: 'Andere Stelle', url: 'https://example.org/y', asOf: 'ohne Datum', asOfNote: 'frühestens 2024' });
  });
});
