/**
 * npm run kb:check — validates knowledge/articles/*.md and knowledge/synonyms.yaml for the
 * people who maintain the knowledge base. Prints "datei:zeile: Problem" and exits 1 on problems.
 */
import path from 'node:path';
import { checkKnowledgeBase } from '../src/knowledge/kb-check';
import { knowledgeDir } from '../src/paths';

const dir = process.argv[2] ? path.resolve(process.argv[2]) : knowledgeDir();
const { problems, articleCount } = checkKnowledgeBase(dir);
for (const p of problems) console.error(`knowledge/${p.file}:${p.line}: ${p.message}`);
if (problems.length > 0) {
  console.error(`\n${problems.length} Problem(e) in ${dir}`);
  process.exit(1);
}
console.log(`Wissensbasis in Ordnung: ${articleCount} Artikel geprüft (${dir}).`);
