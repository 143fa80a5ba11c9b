import type { EligibilityService, Kommune, Resolution } from '../eligibility';
import { fold } from '../text/fold';
import { readChoice } from './choices';
import { findEmail, readPersonName, readPhone } from './contact';
import { INTENTS, type Intent } from './corpus';
import { parseWhen } from './dates';
import { readKommuneChoice, type KommuneCandidate } from './kommune-choice';
import { readPartners, readPercent, readYears, readYesNo, readYesNoUnknown, type Read } from './answers';
import type { Nlu } from './index';

/**
 * The blind evaluation of understanding (test/nlu/blind): intents with per-intent precision and
 * recall, the entities of each message, and the slot readers. Used by `npm run eval:nlu` and
 * test/nlu/evaluation.test.ts. Callers print failures only for the dev split.
 */
export interface UtteranceItem {
  text: string;
  intent: Intent;
  entities: { kommune?: string; programme?: string; stage?: number };
}

export interface SlotItem {
  slot: string;
  text: string;
  value: unknown;
  question?: string;
  today?: string;
}

export interface IntentReport {
  total: number;
  correct: number;
  perIntent: Record<string, { support: number; precision: number; recall: number }>;
  entities: { total: number; correct: number; perEntity: Record<string, { total: number; correct: number }> };
  failures: { text: string; expected: string; got: string; confidence: number }[];
  entityFailures: { text: string; entity: string; expected: unknown; got: unknown }[];
}

export function evaluateIntents(items: UtteranceItem[], nlu: Nlu, eligibility: EligibilityService): IntentReport {
  const confusion = new Map<string, { tp: number; fp: number; fn: number; support: number }>();
  for (const i of INTENTS) confusion.set(i, { tp: 0, fp: 0, fn: 0, support: 0 });
  const report: IntentReport = { total: items.length, correct: 0, perIntent: {}, entities: { total: 0, correct: 0, perEntity: {} }, failures: [], entityFailures: [] };
  for (const item of items) {
    const u = nlu.understand(item.text);
    confusion.get(item.intent)!.support++;
    if (u.intent === item.intent) {
      report.correct++;
      confusion.get(item.intent)!.tp++;
    } else {
      confusion.get(item.intent)!.fn++;
      confusion.get(u.intent)!.fp++;
      report.failures.push({ text: item.text, expected: item.intent, got: u.intent, confidence: u.confidence });
    }
    const checks: [string, unknown, unknown, boolean][] = [
      ['programme', item.entities.programme, u.programme, item.entities.programme === u.programme],
      ['stage', item.entities.stage, u.stage, item.entities.stage === u.stage],
      ['kommune', item.entities.kommune, describe(u.kommune), sameKommune(item.entities.kommune, u.kommune, eligibility)],
    ];
    for (const [entity, expected, got, ok] of checks) {
      if (expected === undefined && got === undefined) continue;
      const e = (report.entities.perEntity[entity] ??= { total: 0, correct: 0 });
      e.total++;
      report.entities.total++;
      if (ok) {
        e.correct++;
        report.entities.correct++;
      } else report.entityFailures.push({ text: item.text, entity, expected, got });
    }
  }
  for (const [intent, c] of confusion) {
    report.perIntent[intent] = {
      support: c.support,
      precision: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp),
      recall: c.support === 0 ? 1 : c.tp / c.support,
    };
  }
  return report;
}

function describe(r: Resolution | undefined): string | undefined {
  if (!r) return undefined;
  if (r.kind === 'found') return r.kommune.shortName;
  if (r.kind === 'ambiguous') return r.candidates.map((k) => k.shortName).join(' | ');
  return r.kind;
}

/** The written name means the Kommune the message was understood to name (both ambiguous alike counts). */
function sameKommune(written: string | undefined, got: Resolution | undefined, eligibility: EligibilityService): boolean {
  if (written === undefined) return got === undefined;
  if (!got) return false;
  const expected = eligibility.register.resolve(written);
  const ags = (r: Resolution): string[] => (r.kind === 'found' ? [r.kommune.ags] : r.kind === 'ambiguous' ? r.candidates.map((k) => k.ags).sort() : []);
  const a = ags(expected);
  const b = ags(got);
  return a.length > 0 && a.join() === b.join();
}

export interface SlotReport {
  total: number;
  correct: number;
  perSlot: Record<string, { total: number; correct: number }>;
  failures: { slot: string; text: string; expected: unknown; got: unknown }[];
}

/** The options the blind writers were shown (docs/evaluation-briefs/slots.md). */
const SLOT_OPTIONS = [
  { label: 'Di 19.01. 09:00', day: '2027-01-19', time: '09:00' },
  { label: 'Di 19.01. 13:00', day: '2027-01-19', time: '13:00' },
  { label: 'Mi 20.01. 10:30', day: '2027-01-20', time: '10:30' },
  { label: 'Do 21.01. 14:00', day: '2027-01-21', time: '14:00' },
];
const TYPE_OPTIONS = [{ label: 'Vor-Ort-Analyse der IT (Stufe 1)' }, { label: 'Externer Stresstest (Stufe 2)' }];

const ASK = 'ASK_AGAIN';
const fromRead = <T>(r: Read<T>, map: (v: T) => unknown = (v) => v): unknown => (r.kind === 'value' ? map(r.value) : r.kind === 'unknown' ? 'unknown' : ASK);

export function evaluateSlots(items: SlotItem[], eligibility: EligibilityService, countKommunen: (text: string) => number): SlotReport {
  const report: SlotReport = { total: items.length, correct: 0, perSlot: {}, failures: [] };
  const candidates = (question: string) => kommuneCandidates(eligibility, question === 'giessen' ? 'Gießen' : 'Lautertal');
  for (const item of items) {
    const got = readSlot(item, countKommunen, candidates);
    const ok = sameValue(item.slot, item.value, got);
    const s = (report.perSlot[item.slot] ??= { total: 0, correct: 0 });
    s.total++;
    if (ok) {
      s.correct++;
      report.correct++;
    } else report.failures.push({ slot: item.slot, text: item.text, expected: item.value, got });
  }
  return report;
}

function readSlot(item: SlotItem, countKommunen: (t: string) => number, candidates: (q: string) => { list: KommuneCandidate[]; keys: string[] }): unknown {
  const t = item.text;
  switch (item.slot) {
    case 'partners':
      return fromRead(readPartners(t, countKommunen));
    case 'hessian':
      return fromRead(readYesNoUnknown(t), (v) => (v ? 'yes' : 'no'));
    case 'years':
      return fromRead(readYears(t), (v) => (v === 'unbefristet' ? 'permanent' : v));
    case 'savings':
      return fromRead(readPercent(t));
    case 'yesno': {
      const v = readYesNo(t);
      return v === undefined ? ASK : v ? 'yes' : 'no';
    }
    case 'name':
      return readPersonName(t) ?? ASK;
    case 'email':
      return findEmail(t) ?? ASK;
    case 'phone':
      return readPhone(t) ?? ASK;
    case 'when': {
      const w = parseWhen(t, item.today ?? '2027-01-11');
      if (!w) return ASK;
      if ('nextFree' in w) return 'NEXT_FREE';
      return w.part ? { from: w.from, to: w.to, part: w.part } : { from: w.from, to: w.to };
    }
    case 'slotChoice': {
      const c = readChoice(t, SLOT_OPTIONS, { allowOther: true });
      return c === undefined ? ASK : c === 'other' ? 'OTHER_WEEK' : c + 1;
    }
    case 'typeChoice': {
      const c = readChoice(t, TYPE_OPTIONS);
      return c === undefined || c === 'other' ? ASK : c + 1;
    }
    case 'whichKommune': {
      const { list, keys } = candidates(item.question ?? '');
      const i = readKommuneChoice(t, list);
      return i === undefined ? ASK : keys[i];
    }
    default:
      return ASK;
  }
}

/** The register's candidates for an ambiguous name, with the key the blind items use for each. */
export function kommuneCandidates(eligibility: EligibilityService, name: string): { list: KommuneCandidate[]; keys: string[] } {
  const r = eligibility.register.resolve(name);
  const ks: Kommune[] = r.kind === 'ambiguous' ? r.candidates : [];
  const list = ks.map((k) => toCandidate(eligibility, k));
  const keys = ks.map((k) => (k.kind === 'landkreis' ? 'landkreis' : k.kind === 'gemeinde' ? fold(k.shortName).replace(/^.*\((.*)\).*$/, '$1') : 'stadt'));
  return { list, keys };
}

export function toCandidate(eligibility: EligibilityService, k: Kommune): KommuneCandidate {
  const district = eligibility.register.districtOf(k);
  return { ags: k.ags, kind: k.kind, names: [k.name, k.shortName, ...(district ? [district.name, district.shortName] : [])] };
}

function sameValue(slot: string, expected: unknown, got: unknown): boolean {
  if (slot === 'email' && typeof expected === 'string' && typeof got === 'string') return expected.toLowerCase() === got.toLowerCase();
  if (slot === 'name' && typeof expected === 'string' && typeof got === 'string') {
    const words = (s: string) => fold(s).split(/\s+/).filter((w) => !['herr', 'frau'].includes(w)).sort().join(' ');
    return words(expected) === words(got);
  }
  if (slot === 'phone' && typeof expected === 'string' && typeof got === 'string') {
    const national = (s: string) => (s.startsWith('+49') ? `0${s.slice(3)}` : s);
    return national(expected) === national(got);
  }
  return JSON.stringify(expected) === JSON.stringify(got);
}
