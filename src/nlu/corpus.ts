import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { projectRoot } from '../paths';

/** What a message with no dialog open asks for. */
export const INTENTS = ['booking', 'eligibility', 'myAppointments', 'deleteMyData', 'help', 'newConversation', 'handoff', 'emergency', 'question'] as const;
export type Intent = (typeof INTENTS)[number];

/** Fewer examples than this make an intent a guess; the check below refuses to start with them. */
export const MIN_UTTERANCES = 20;

const fileSchema = z.object({
  intent: z.enum(INTENTS),
  utterances: z.array(z.string().min(1).max(300)).min(MIN_UTTERANCES),
});

export interface Corpus {
  /** Utterances per intent, as written in dialogs/nlu/<intent>.yaml. */
  utterances: Record<Intent, string[]>;
}

export const nluDir = (): string => path.join(projectRoot(), 'dialogs', 'nlu');

/** Reads every dialogs/nlu/*.yaml; throws with the file name when one is malformed or an intent has no file. */
export function loadCorpus(dir: string = nluDir()): Corpus {
  const utterances = {} as Record<Intent, string[]>;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const parsed = fileSchema.safeParse(parse(readFileSync(path.join(dir, file), 'utf8')));
    if (!parsed.success) throw new Error(`dialogs/nlu/${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const { intent } = parsed.data;
    if (utterances[intent]) throw new Error(`dialogs/nlu/${file}: Absicht „${intent}“ steht in zwei Dateien`);
    utterances[intent] = parsed.data.utterances;
  }
  const missing = INTENTS.filter((i) => !utterances[i]);
  if (missing.length) throw new Error(`dialogs/nlu: keine Datei für ${missing.join(', ')}`);
  return { utterances };
}
