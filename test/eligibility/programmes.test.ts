import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEligibilityKnowledge, createEligibilityService } from '../../src/eligibility';
import { parseProgramme } from '../../src/eligibility/programmes';
import { knowledgeDir } from '../../src/paths';

const ikzFile = path.join(knowledgeDir(), 'programmes', 'ikz-rahmenvereinbarung.yaml');
const ikzYaml = readFileSync(ikzFile, 'utf8');

describe('programme files', () => {
  it('the shipped files load: KDLZ 2018, AKC module, IKZ', () => {
    const ids = createEligibilityService().programmes.map((p) => p.id);
    expect(ids).toEqual(['akc-kdlz-cs', 'ikz-rahmenvereinbarung', 'kdlz-cs-2018']);
  });

  it.each([
    ['an unknown source key', ikzYaml.replace('source: foerderhoehe\n  rules', 'source: gibtsnicht\n  rules'), /grant\.source: unbekannte Quelle "gibtsnicht"/],
    ['a date in the wrong format', ikzYaml.replace('validFrom: "2021-12-02"', 'validFrom: "2.12.2021"'), /validFrom: Datum im Format JJJJ-MM-TT/],
    ['validUntil without expiredText', ikzYaml.replace(/expiredText: >-\n(  .*\n)+/, ''), /expiredText: nötig/],
    ['a misspelt field', ikzYaml.replace('validityNote:', 'validityNotes:'), /validityNote/],
    ['a condition on an unknown fact', ikzYaml.replace('fact: savingsPercent, limit: 15', 'fact: ersparnis, limit: 15'), /conditions\.4\.check\.fact/],
    ['ifNotMet: review without a review text', ikzYaml.replace(/      review: "Nicht alle Partner.*\n/, ''), /conditions\.1\.text\.review: nötig, wenn ifNotMet: review/],
    ['orAssociation without the association texts', ikzYaml.replace(/      associationReview: .*\n/, ''), /conditions\.0\.text\.association: association und associationReview/],
    ['endNotice without validUntil', ikzYaml.replace(/\nvalidUntil: .*\n/, '\n'), /endNotice: nur mit validUntil/],
    ['a note with an unknown source', ikzYaml.replace('notes:\n', 'notes:\n  - { source: nirgends, text: "x" }\n'), /notes\.0\.source: unbekannte Quelle "nirgends"/],
  ])('rejects %s, naming the file and field', (_what, text, message) => {
    expect(() => parseProgramme(text, 'ikz-rahmenvereinbarung.yaml')).toThrow(message);
    expect(() => parseProgramme(text, 'ikz-rahmenvereinbarung.yaml')).toThrow(/^ikz-rahmenvereinbarung\.yaml: /);
  });

  it('a maintainer changes a limit in data and the engine follows without code changes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kdlz-knowledge-'));
    cpSync(knowledgeDir(), dir, { recursive: true });
    writeFileSync(path.join(dir, 'programmes', 'ikz-rahmenvereinbarung.yaml'), ikzYaml.replace('fact: savingsPercent, limit: 15', 'fact: savingsPercent, limit: 10'));
    const service = createEligibilityService({ knowledgeDir: dir });
    const facts = { kommune: service.register.byAgs('06531003'), partners: 3, allPartnersHessian: true, durationYears: 5, savingsPercent: 12 };
    expect(service.evaluate('ikz', facts, new Date('2026-06-01')).outcome).toBe('eligible');
    expect(createEligibilityService().evaluate('ikz', facts, new Date('2026-06-01')).outcome).toBe('not-eligible');
  });
});

describe('checkEligibilityKnowledge (kb:check)', () => {
  it('finds nothing wrong in the shipped knowledge', () => {
    expect(checkEligibilityKnowledge()).toEqual([]);
  });

  it('reports an end notice that no longer names the year of validUntil', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kdlz-knowledge-'));
    cpSync(knowledgeDir(), dir, { recursive: true });
    writeFileSync(path.join(dir, 'programmes', 'ikz-rahmenvereinbarung.yaml'), ikzYaml.replace('validUntil: "2026-12-31"', 'validUntil: "2031-12-31"'));
    expect(checkEligibilityKnowledge(dir)).toEqual([expect.stringMatching(/ikz-rahmenvereinbarung: endNotice\.text nennt das Jahr von validUntil \(2031\) nicht/)]);
  });

  it('reports a broken programme file and an outside-Hessen name that is in the register', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kdlz-knowledge-'));
    cpSync(knowledgeDir(), dir, { recursive: true });
    writeFileSync(path.join(dir, 'programmes', 'ikz-rahmenvereinbarung.yaml'), ikzYaml.replace('validFrom: "2021-12-02"', 'validFrom: "bald"'));
    const names = readFileSync(path.join(dir, 'kommunen-namen.yaml'), 'utf8').replace('Bayern: [Würzburg,', 'Bayern: [Fürth, Würzburg,');
    writeFileSync(path.join(dir, 'kommunen-namen.yaml'), names);
    const problems = checkEligibilityKnowledge(dir);
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual(expect.stringMatching(/„Fürth“ steht unter outsideHessen, aber auch im Gemeindeverzeichnis \(Fürth\)/));
    expect(problems).toContainEqual(expect.stringMatching(/ikz-rahmenvereinbarung\.yaml: validFrom/));
  });
});
