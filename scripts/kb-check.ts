/**
 * npm run kb:check — validates everything in knowledge/ for the people who maintain it:
 * articles and synonyms (src/knowledge) and the register, name list and programme rules
 * (src/eligibility). Prints one line per problem ("datei:zeile: Problem" where a line is known)
 * and exits 1 when there is any.
 */
import path from 'node:path';
import { checkEligibilityKnowledge } from '../src/eligibility';
import { loadProgrammes } from '../src/eligibility/programmes';
import { checkKnowledgeBase } from '../src/knowledge/kb-check';
import { knowledgeDir } from '../src/paths';

export interface KbCheckResult {
  /** One German line per problem; article problems as "knowledge/<datei>:<zeile>: …". */
  problems: string[];
  articleCount: number;
}

/** Programme ids an article may name; undefined when the programme files do not load (reported below). */
function programmeIds(dir: string): Set<string> | undefined {
  try {
    return new Set(loadProgrammes(path.join(dir, 'programmes')).map((p) => p.id));
  } catch {
    return undefined;
  }
}

export function runKbCheck(dir: string): KbCheckResult {
  const { problems, articleCount } = checkKnowledgeBase(dir, { programmeIds: programmeIds(dir) });
  const lines = problems.map((p) => `knowledge/${p.file}:${p.line}: ${p.message}`);
  // Register and programme problems come as sentences naming their file.
  lines.push(...checkEligibilityKnowledge(dir));
  return { problems: lines, articleCount };
}

if (require.main === module) {
  const dir = process.argv[2] ? path.resolve(process.argv[2]) : knowledgeDir();
  const { problems, articleCount } = runKbCheck(dir);
  for (const line of problems) console.error(line);
  if (problems.length > 0) {
    console.error(`\n${problems.length} Problem(e) in ${dir}`);
    process.exit(1);
  }
  console.log(`Wissensbasis in Ordnung: ${articleCount} Artikel, Gemeindeverzeichnis und Programmregeln geprüft (${dir}).`);
}
