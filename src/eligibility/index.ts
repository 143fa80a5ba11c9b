import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { knowledgeDir as defaultKnowledgeDir } from '../paths';
import { evaluateProgramme, berlinDay } from './engine';
import { loadProgrammes, programmeForTopic, type Programme } from './programmes';
import { programmeNoticeOn } from './notice';
import { parseQuestion, type ParsedQuestion } from './question';
import { KommunenRegister, parseKommunenCsv, type RegisterNames } from './register';
import { nameKey } from './normalise';
import type { EligibilityFacts, EligibilityResult, Kommune, ProgrammeNotice, Resolution } from './types';

export type { Association, EligibilityFacts, EligibilityResult, Kommune, Outcome, ProgrammeNotice, Reason, Resolution, Source, FactName, ValidityStatus } from './types';
export type { Programme, ProgrammeQuestion, Condition } from './programmes';
export type { ParsedQuestion } from './question';
export type { EligibilityEntity } from './engine';
export { toEligibilityEntity, berlinDay, formatGermanDate, formatNumber, kindLabel } from './engine';
export { KommunenRegister } from './register';
export { recogniseAssociation } from './question';
export { noticeFor, programmeNoticeOn } from './notice';

export interface EligibilityService {
  register: {
    resolve(text: string): Resolution;
    byAgs(ags: string): Kommune | undefined;
    all(): readonly Kommune[];
    /** The Landkreis a municipality belongs to (undefined for Landkreise and kreisfreie Städte). */
    districtOf(k: Kommune): Kommune | undefined;
  };
  programmes: readonly Programme[];
  /**
   * Pure: applies the rules to the facts for the day `date` falls on in Hessen. `programmeId` is a
   * programme id ("ikz-rahmenvereinbarung") or a topic ("kdlz", "ikz"), which picks the version
   * of the rules valid on that day. Throws for an unknown id.
   */
  evaluate(programmeId: string, facts: EligibilityFacts, date: Date): EligibilityResult;
  /** The programme version evaluate() would use for an id or topic on that date. */
  programmeFor(programmeId: string, date: Date): Programme | undefined;
  /** Finds kommune + programme mentioned in one sentence ("Kann Buseck das KDLZ nutzen?"). */
  parseQuestion(text: string): ParsedQuestion;
  /** The caveat for a programme id or topic on the day `today` falls on in Hessen (see programmeNotice). */
  programmeNotice(programmeId: string, today: Date): ProgrammeNotice | undefined;
}

const namesSchema = z.object({
  registerSource: z.object({ name: z.string(), url: z.string().url(), asOf: z.string() }),
  kreisBezeichnung: z.record(z.string()).default({}),
  aliases: z.record(z.string()).default({}),
  commonWords: z.array(z.string()).default([]),
  outsideHessen: z.record(z.array(z.string())).default({}),
});

function readNames(dir: string): RegisterNames {
  return namesSchema.parse(parse(readFileSync(path.join(dir, 'kommunen-namen.yaml'), 'utf8')));
}

export function loadRegister(dir: string, names: RegisterNames = readNames(dir)): KommunenRegister {
  const rows = parseKommunenCsv(readFileSync(path.join(dir, 'kommunen.csv'), 'utf8'), names);
  return new KommunenRegister(rows, names);
}

/** Reads knowledge/ once (register, names, programmes) and answers from memory afterwards. */
export function createEligibilityService(opts: { knowledgeDir?: string } = {}): EligibilityService {
  const dir = opts.knowledgeDir ?? defaultKnowledgeDir();
  const register = loadRegister(dir);
  const programmes = Object.freeze(loadProgrammes(path.join(dir, 'programmes')));
  const programmeFor = (id: string, date: Date): Programme | undefined =>
    programmes.find((p) => p.id === id) ?? programmeForTopic(programmes, id, berlinDay(date));
  return {
    register: {
      resolve: (text) => register.resolve(text),
      byAgs: (ags) => register.byAgs(ags),
      all: () => register.all(),
      districtOf: (k) => register.districtOf(k),
    },
    programmes,
    programmeFor,
    evaluate(programmeId, facts, date) {
      const programme = programmeFor(programmeId, date);
      if (!programme) throw new Error(`Unbekanntes Programm: ${programmeId}`);
      return evaluateProgramme(programme, facts, date, register.source);
    },
    parseQuestion: (text) => parseQuestion(text, register, programmes),
    programmeNotice: (id, today) => programmeNoticeOn(programmes, id, berlinDay(today)),
  };
}

let shippedProgrammes: readonly Programme[] | undefined;

/**
 * What an answer about programme `programmeId` (id such as "ikz-rahmenvereinbarung", or topic
 * such as "ikz") must add on the day `today` falls on in Hessen: the caveat before the assumed
 * end of the rules ("läuft nach heutigem Stand bis …"), or that they may have expired; undefined
 * when there is nothing to add or the id is unknown. Deterministic: no clock, the caller passes
 * `today`. Reads knowledge/programmes once (or uses `programmes` when given). For knowledge
 * answers whose article front matter says `programme: <id>`.
 */
export function programmeNotice(programmeId: string, today: Date, programmes?: readonly Programme[]): ProgrammeNotice | undefined {
  const list = programmes ?? (shippedProgrammes ??= Object.freeze(loadProgrammes(path.join(defaultKnowledgeDir(), 'programmes'))));
  return programmeNoticeOn(list, programmeId, berlinDay(today));
}
export { nameKey } from './normalise';

/**
 * For `npm run kb:check`: loads the register, the name list and every programme file and returns
 * what is wrong, as German sentences for the people who maintain knowledge/ (empty = all fine).
 */
export function checkEligibilityKnowledge(dir: string = defaultKnowledgeDir()): string[] {
  const problems: string[] = [];
  let register: KommunenRegister | undefined;
  let names: RegisterNames | undefined;
  try {
    names = readNames(dir);
    register = loadRegister(dir, names);
  } catch (e) {
    problems.push(`Gemeindeverzeichnis/kommunen-namen.yaml: ${(e as Error).message}`);
  }
  let programmes: Programme[] = [];
  try {
    programmes = loadProgrammes(path.join(dir, 'programmes'));
  } catch (e) {
    problems.push(`Programmregeln: ${(e as Error).message}`);
  }
  if (register && names) {
    for (const places of Object.values(names.outsideHessen)) {
      for (const place of places) {
        const k = register.exact(nameKey(place))[0];
        if (k) problems.push(`kommunen-namen.yaml: „${place}“ steht unter outsideHessen, aber auch im Gemeindeverzeichnis (${k.shortName}); der Eintrag wird nie benutzt.`);
      }
    }
  }
  for (const p of programmes) {
    // The notice repeats the end in words ("bis Ende 2026"): a moved validUntil must move it too.
    if (p.endNotice && p.validUntil && !p.endNotice.text.includes(p.validUntil.slice(0, 4))) {
      problems.push(`Programmregeln: ${p.id}: endNotice.text nennt das Jahr von validUntil (${p.validUntil.slice(0, 4)}) nicht; Datum und Hinweis passen nicht zusammen.`);
    }
  }
  for (const topic of new Set(programmes.map((p) => p.topic))) {
    if (!programmes.some((p) => p.topic === topic && p.keywords.length > 0)) problems.push(`Programmregeln: Thema „${topic}“ hat keine keywords; Fragen in einem Satz finden es nicht.`);
  }
  return problems;
}
