import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { FactName, Source } from './types';

/**
 * Programme rules live in knowledge/programmes/*.yaml so that the people who maintain the bot
 * change a rule without touching code. This schema is the contract for those files; a broken
 * file stops the bot at start with a message naming the file and the field.
 */

const FACTS = ['partners', 'allPartnersHessian', 'durationYears', 'savingsPercent', 'stage', 'stage1Done', 'recommendationsImplemented'] as const satisfies readonly FactName[];
/** Facts a condition may test: the programme questions plus what the register knows. */
const CHECKABLE = [...FACTS, 'population'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT');
const sourceSchema = z.object({ name: z.string().min(1), url: z.string().url(), asOf: z.string().min(1) }).strict();
const whenSchema = z.object({ fact: z.enum(FACTS), equals: z.union([z.number(), z.boolean(), z.string()]) }).strict();

const checkSchema = z.discriminatedUnion('type', [
  /** `orAssociation`: an association of Kommunen (Zweckverband …) fulfils it too; it is not in the register. */
  z.object({ type: z.literal('in-register'), orAssociation: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('kind-in'), kinds: z.array(z.enum(['gemeinde', 'stadt', 'kreisfreie_stadt', 'landkreis'])).min(1) }).strict(),
  z.object({ type: z.literal('at-most'), fact: z.enum(CHECKABLE), limit: z.number() }).strict(),
  z.object({ type: z.literal('at-least'), fact: z.enum(CHECKABLE), limit: z.number(), reviewFrom: z.number().optional() }).strict(),
  z.object({ type: z.literal('is-true'), fact: z.enum(FACTS) }).strict(),
]);

const conditionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    label: z.string().min(1),
    check: checkSchema,
    when: whenSchema.optional(),
    /**
     * The days (asked about) on which the condition applies, both ends included; a rule that
     * changed during a programme's life is two conditions with adjoining periods.
     */
    during: z.object({ from: isoDate.optional(), until: isoDate.optional() }).strict().optional(),
    /** "review": a failed check makes the answer "im Einzelfall prüfen" (text.review) instead of no. */
    ifNotMet: z.enum(['no', 'review']).default('no'),
    /** Key into `sources`, or "register" for the Destatis register. */
    source: z.string().min(1),
    text: z
      .object({
        met: z.string(),
        notMet: z.string(),
        review: z.string().optional(),
        missing: z.string().optional(),
        /** When an association applies: with `orAssociation` the text of a fulfilled check, otherwise why it stays open. */
        association: z.string().optional(),
        /** With `orAssociation`: an association that is not a Zweckverband (legal personality to be confirmed). */
        associationReview: z.string().optional(),
      })
      .strict(),
  })
  .strict();

const grantSchema = z
  .object({
    source: z.string(),
    rules: z.array(z.object({ minPartners: z.number().int(), maxPartners: z.number().int().optional(), amountEur: z.number().positive(), text: z.string() }).strict()).min(1),
    note: z.string().optional(),
  })
  .strict();

const programmeSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    topic: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(1),
    summary: z.string().min(1),
    validFrom: isoDate,
    validUntil: isoDate.optional(),
    validityNote: z.string().min(1),
    expiredText: z.string().optional(),
    notYetText: z.string().min(1),
    validitySource: z.string().optional(),
    /**
     * The caveat every answer about this programme carries from `daysBefore` days before
     * `validUntil` until that day (after it, `expiredText`). The one place for both.
     */
    endNotice: z.object({ daysBefore: z.number().int().min(1).max(730), text: z.string().min(1) }).strict().optional(),
    bookable: z.boolean(),
    sources: z.record(sourceSchema),
    conditions: z.array(conditionSchema).min(1),
    grant: grantSchema.optional(),
    /** A note may name its source (a key of `sources`); the result then lists that source too. */
    notes: z.array(z.union([z.string(), z.object({ text: z.string().min(1), source: z.string() }).strict()])).default([]),
    nextStep: z.object({ eligible: z.string(), notEligible: z.string(), needsReview: z.string() }).strict(),
    keywords: z.array(z.string()).default([]),
    questions: z.array(z.object({ fact: z.enum(FACTS), default: z.union([z.number(), z.boolean()]).optional(), when: whenSchema.optional() }).strict()).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    const known = (key: string): boolean => key === 'register' || key in p.sources;
    p.conditions.forEach((c, i) => {
      if (!known(c.source)) ctx.addIssue({ code: 'custom', path: ['conditions', i, 'source'], message: `unbekannte Quelle "${c.source}"` });
      if (c.ifNotMet === 'review' && !c.text.review) ctx.addIssue({ code: 'custom', path: ['conditions', i, 'text', 'review'], message: 'nötig, wenn ifNotMet: review' });
      if (c.check.type === 'in-register' && c.check.orAssociation && !(c.text.association && c.text.associationReview)) {
        ctx.addIssue({ code: 'custom', path: ['conditions', i, 'text', 'association'], message: 'association und associationReview sind nötig, wenn orAssociation gesetzt ist' });
      }
      if (c.during?.from && c.during.until && c.during.until < c.during.from) ctx.addIssue({ code: 'custom', path: ['conditions', i, 'during', 'until'], message: 'liegt vor from' });
    });
    if (p.endNotice && !p.validUntil) ctx.addIssue({ code: 'custom', path: ['endNotice'], message: 'nur mit validUntil möglich' });
    p.notes.forEach((n, i) => {
      if (typeof n !== 'string' && !known(n.source)) ctx.addIssue({ code: 'custom', path: ['notes', i, 'source'], message: `unbekannte Quelle "${n.source}"` });
    });
    if (p.grant && !known(p.grant.source)) ctx.addIssue({ code: 'custom', path: ['grant', 'source'], message: `unbekannte Quelle "${p.grant.source}"` });
    if (p.validitySource && !known(p.validitySource)) ctx.addIssue({ code: 'custom', path: ['validitySource'], message: `unbekannte Quelle "${p.validitySource}"` });
    if (p.validUntil && !p.expiredText) ctx.addIssue({ code: 'custom', path: ['expiredText'], message: 'nötig, wenn validUntil gesetzt ist' });
    if (p.validUntil && p.validUntil < p.validFrom) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'liegt vor validFrom' });
  });

export type Programme = z.infer<typeof programmeSchema>;
export type Condition = Programme['conditions'][number];
export type ProgrammeQuestion = Programme['questions'][number];
export type { Source };

/** Parses one programme file; the error names the file and the fields that are wrong. */
export function parseProgramme(yamlText: string, fileName: string): Programme {
  const result = programmeSchema.safeParse(parse(yamlText));
  if (!result.success) {
    const details = result.error.issues.map((i) => `${i.path.join('.') || '(Datei)'}: ${i.message}`).join('; ');
    throw new Error(`${fileName}: ${details}`);
  }
  return result.data;
}

/** All programme files of a directory, sorted by id; ids must be unique. */
export function loadProgrammes(dir: string): Programme[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const programmes = files.map((f) => parseProgramme(readFileSync(path.join(dir, f), 'utf8'), f));
  const seen = new Set<string>();
  for (const p of programmes) {
    if (seen.has(p.id)) throw new Error(`Programm-ID ${p.id} kommt doppelt vor`);
    seen.add(p.id);
  }
  return programmes.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The version of a topic's rules for a calendar day: the one valid that day; otherwise the latest
 * that had started (its rules may have expired), otherwise the earliest.
 */
export function programmeForTopic(programmes: readonly Programme[], topic: string, day: string): Programme | undefined {
  const versions = programmes.filter((p) => p.topic === topic).sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  if (versions.length === 0) return undefined;
  const valid = versions.filter((p) => p.validFrom <= day && (!p.validUntil || day <= p.validUntil));
  if (valid.length > 0) return valid[valid.length - 1];
  const started = versions.filter((p) => p.validFrom <= day);
  return started.length > 0 ? started[started.length - 1] : versions[0];
}
