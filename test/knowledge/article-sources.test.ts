import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKnowledgeService } from '../../src/knowledge';
import { loadArticles } from '../../src/knowledge/articles';
import { knowledgeDir } from '../../src/paths';

/** One heading, two paragraphs from two sources: each answer must cite its own paragraph's source. */
const article = `---
title: Förderung und Leak Checker
sources:
  - id: amt
    publisher: Beispielbehörde
    title: Seite Förderhöhe
    url: https://example.org/foerderhoehe
    as_of: 2024-05-02
  - id: presse
    publisher: Beispielzeitung
    title: Bericht über den Leak Checker
    url: https://example.org/leak-checker
    as_of: 2023-08
tags: [Test]
questions:
  - Wie viel Geld gibt es für drei Kommunen?
  - Was kostet der Leak Checker?
  - Frage drei?
  - Frage vier?
  - Frage fünf?
  - Frage sechs?
---

# Förderung und Leak Checker

## Überblick

Die Regelzuwendung beträgt 75.000 Euro, wenn drei Kommunen zusammenarbeiten. [^amt]

Der Hessen Leak Checker durchsucht Datenlecks nach dienstlichen E-Mail-Adressen und ist kostenlos. [^presse]
`;

describe('sources per passage in answers', () => {
  it('names the source of each quoted paragraph, by number, in the text and in the citations', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-sources-'));
    mkdirSync(path.join(dir, 'articles'));
    writeFileSync(path.join(dir, 'articles', 'a.md'), article);
    writeFileSync(path.join(dir, 'synonyms.yaml'), '{}\n');
    const service = await createKnowledgeService({ knowledgeDir: dir });

    // The heading's two paragraphs are quoted together; each carries the number of its own source.
    const money = await service.answer('Wie viel Geld gibt es als Regelzuwendung für drei Kommunen?');
    expect(money.kind).toBe('answer');
    const [first, second, sources] = money.text.split('\n\n');
    expect(first).toMatch(/^\*\*Überblick:\*\* Die Regelzuwendung beträgt 75\.000 Euro.* \[1\]$/);
    expect(second).toMatch(/^Der Hessen Leak Checker .* \[2\]$/);
    expect(sources).toBe('Quellen: [1] Beispielbehörde, Seite Förderhöhe, Stand: 2. Mai 2024; [2] Beispielzeitung, Bericht über den Leak Checker, Stand: August 2023');
    expect(money.citations).toEqual([
      expect.objectContaining({ position: 1, url: 'https://example.org/foerderhoehe', source: 'Beispielbehörde, Seite Förderhöhe' }),
      expect.objectContaining({ position: 2, url: 'https://example.org/leak-checker', source: 'Beispielzeitung, Bericht über den Leak Checker' }),
    ]);
  });

  it('cites, in the shipped knowledge base, the source of the passage an answer quotes', async () => {
    const { articles } = loadArticles(knowledgeDir());
    const sections = articles.flatMap((a) => a.sections);
    const service = await createKnowledgeService({});
    // Each of these sentences has a different source than its article's first source.
    const questions = [
      'Seit wann ist das Hessen3C Partner im Nationalen Cyber-Abwehrzentrum?',
      'Wie viele Gemeinden und Landkreise hat Hessen laut Statistischem Bundesamt?',
      'Wann startete das Cybersicherheitsprojekt der Landkreise Gießen und Marburg-Biedenkopf mit 26 Kommunen?',
    ];
    for (const q of questions) {
      const a = await service.answer(q);
      expect(a.kind, q).toBe('answer');
      // Every quoted paragraph ("**Heading:** text [n]" or "text") is found in a passage whose source is cited under its number.
      const paragraphs = a.text.split('\n\n').slice(0, -1);
      for (const paragraph of paragraphs) {
        const n = Number(/ \[(\d+)\]$/.exec(paragraph)?.[1] ?? 1);
        const quoted = paragraph.replace(/^\*\*[^*]+:\*\* /, '').replace(/ \[\d+\]$/, '').slice(0, 60);
        const from = sections.filter((s) => s.text.replace(/\s+/g, ' ').includes(quoted));
        expect(from.length, `${q}: "${quoted}" found in a passage`).toBeGreaterThan(0);
        expect(a.citations[n - 1].url, q).toBe(from[0].ref.url);
        expect(a.text, q).toContain(`${from[0].ref.source}, Stand: `);
      }
    }
  });
});
