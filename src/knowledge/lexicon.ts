import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Expansions, fold, stem, words } from './analyzer';

interface SynonymFile {
  abkuerzungen?: Record<string, string[]>;
  synonyme?: string[][];
  englisch?: Record<string, string[]>;
}

/**
 * Query expansions from knowledge/synonyms.yaml, keyed by stem so that "Förderungen",
 * "Foerderung" and "Förderung" find the same group.
 */
export class Lexicon implements Expansions {
  private readonly byStem = new Map<string, string[]>();
  private readonly english = new Map<string, string[]>();

  constructor(data: SynonymFile) {
    const add = (key: string, values: string[]) => {
      const list = this.byStem.get(key) ?? [];
      for (const v of values) if (!list.includes(v)) list.push(v);
      this.byStem.set(key, list);
    };
    const keyOf = (term: string) => words(term).map(stem).join(' ');
    for (const [abbr, long] of Object.entries(data.abkuerzungen ?? {})) {
      // Abbreviations are matched on their folded spelling; stemming "akc" or "ikz" means nothing.
      add(`=${fold(abbr).replace(/[^a-z0-9]/g, '')}`, long);
      add(keyOf(long.join(' ')), [abbr]);
    }
    for (const group of data.synonyme ?? []) {
      for (const member of group) add(keyOf(member), group.filter((g) => g !== member));
    }
    for (const [word, german] of Object.entries(data.englisch ?? {})) {
      this.english.set(fold(word), german);
    }
  }

  static fromFile(file: string): Lexicon {
    return new Lexicon((parseYaml(readFileSync(file, 'utf8')) ?? {}) as SynonymFile);
  }

  lookup(wordStem: string, folded: string): string[] {
    return [
      ...(this.byStem.get(`=${folded.replace(/[^a-z0-9]/g, '')}`) ?? []),
      ...(this.byStem.get(wordStem) ?? []),
      ...(this.english.get(folded) ?? []),
    ];
  }
}
