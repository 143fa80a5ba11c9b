import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadArticles, type Problem } from './articles';
import { readOutOfScope } from './out-of-scope';

/**
 * Everything `npm run kb:check` reports: article problems (front matter, sources and their
 * markers, dates, URLs, question variants, duplicate titles, empty sections), an article naming a
 * programme id that is not in `programmeIds` (when given), a synonyms file that does not parse,
 * and an out-of-scope example file (out-of-scope.yaml) that is not a list of sentences per group.
 */
export function checkKnowledgeBase(dir: string, opts: { programmeIds?: ReadonlySet<string> } = {}): { problems: Problem[]; articleCount: number } {
  const { articles, problems } = loadArticles(dir);
  if (opts.programmeIds) {
    for (const a of articles) {
      if (a.programme && !opts.programmeIds.has(a.programme)) {
        const known = [...opts.programmeIds].sort().join(', ');
        problems.push({ file: a.file, line: 1, message: `programme "${a.programme}" gibt es nicht in knowledge/programmes (vorhanden: ${known})` });
      }
    }
  }
  const synonyms = path.join(dir, 'synonyms.yaml');
  if (existsSync(synonyms)) {
    try {
      const data = parseYaml(readFileSync(synonyms, 'utf8')) as Record<string, unknown> | null;
      for (const key of Object.keys(data ?? {})) {
        if (!['abkuerzungen', 'synonyme', 'englisch'].includes(key)) {
          problems.push({ file: 'synonyms.yaml', line: 1, message: `unbekannter Abschnitt "${key}" (erlaubt: abkuerzungen, synonyme, englisch)` });
        }
      }
      const groups = (data?.synonyme ?? []) as unknown[];
      if (!Array.isArray(groups) || groups.some((g) => !Array.isArray(g) || g.length < 2)) {
        problems.push({ file: 'synonyms.yaml', line: 1, message: '"synonyme" muss eine Liste von Gruppen mit je mindestens zwei Wörtern sein' });
      }
    } catch (e) {
      const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1;
      problems.push({ file: 'synonyms.yaml', line, message: `kein gültiges YAML: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  problems.push(...readOutOfScope(dir).problems);
  return { problems, articleCount: articles.length };
}
