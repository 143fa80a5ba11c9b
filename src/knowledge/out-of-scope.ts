import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Problem } from './articles';

/**
 * knowledge/out-of-scope.yaml: example messages the knowledge base does not answer, in groups
 * (group name → list of sentences). They teach the topic model (topic.ts) its class "none of the
 * articles". Missing file: no examples (the model then only tells articles apart).
 */
export const OUT_OF_SCOPE_FILE = 'out-of-scope.yaml';

/** The examples and what is wrong with the file (empty when fine or absent). */
export function readOutOfScope(dir: string): { examples: string[]; problems: Problem[] } {
  const file = path.join(dir, OUT_OF_SCOPE_FILE);
  if (!existsSync(file)) return { examples: [], problems: [] };
  const problem = (message: string, line = 1): Problem => ({ file: OUT_OF_SCOPE_FILE, line, message });
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1;
    return { examples: [], problems: [problem(`kein gültiges YAML: ${(e as Error).message.split('\n')[0]}`, line)] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { examples: [], problems: [problem('erwartet: Gruppen (Name: Liste von Sätzen)')] };
  const examples: string[] = [];
  const problems: Problem[] = [];
  for (const [group, list] of Object.entries(data)) {
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string' || !x.trim())) {
      problems.push(problem(`Gruppe "${group}": erwartet eine Liste nicht leerer Sätze`));
      continue;
    }
    examples.push(...(list as string[]).map((x) => x.trim()));
  }
  const seen = new Set<string>();
  for (const x of examples) {
    if (seen.has(x.toLowerCase())) problems.push(problem(`Satz doppelt: "${x}"`));
    seen.add(x.toLowerCase());
  }
  return { examples, problems };
}

/** The examples for the service; a broken file fails start-up like a broken article. */
export function loadOutOfScope(dir: string): string[] {
  const { examples, problems } = readOutOfScope(dir);
  if (problems.length > 0) throw new Error(`${OUT_OF_SCOPE_FILE}: ${problems.map((p) => p.message).join('; ')} (npm run kb:check)`);
  return examples;
}
