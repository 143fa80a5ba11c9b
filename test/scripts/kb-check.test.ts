import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { knowledgeDir } from '../../src/paths';
import { runKbCheck } from '../../scripts/kb-check';

/** A copy of the shipped knowledge/ folder to break on purpose. */
function copyOfKnowledge(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-check-'));
  cpSync(knowledgeDir(), dir, { recursive: true });
  return dir;
}

describe('npm run kb:check (runKbCheck)', () => {
  it('finds no problem in the shipped knowledge base', () => {
    const { problems, articleCount } = runKbCheck(knowledgeDir());
    expect(problems).toEqual([]);
    expect(articleCount).toBeGreaterThanOrEqual(20);
  });

  it('reports a broken article with file and line', () => {
    const dir = copyOfKnowledge();
    const file = path.join(dir, 'articles', 'hessen3c.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^    as_of: 2024-05-02$/m, '    as_of: 2024-02-30'));
    const { problems } = runKbCheck(dir);
    expect(problems).toEqual([expect.stringMatching(/^knowledge\/articles\/hessen3c\.md:4: Quelle "kommune21-2024": as_of "2024-02-30" ist kein Datum/)]);
  });

  it('reports an article whose programme is not in knowledge/programmes', () => {
    const dir = copyOfKnowledge();
    const file = path.join(dir, 'articles', 'ikz-antrag.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('programme: ikz-rahmenvereinbarung', 'programme: ikz-2031'));
    const { problems } = runKbCheck(dir);
    expect(problems).toEqual([expect.stringMatching(/^knowledge\/articles\/ikz-antrag\.md:1: programme "ikz-2031" gibt es nicht/)]);
  });

  it('also checks the eligibility files (programme rules)', () => {
    const dir = copyOfKnowledge();
    writeFileSync(path.join(dir, 'programmes', 'kaputt.yaml'), 'id: [nicht geschlossen\n');
    const { problems } = runKbCheck(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Programmregeln: /);
  });
});
