import { type Activity, MessageFactory } from 'botbuilder';
import { type Association, type EligibilityService, kindLabel, type Kommune, nameKey, recogniseAssociation, type Resolution } from '../src/eligibility';
import { type KommuneCandidate, readKommuneChoice, readYesNo } from '../src/nlu';

/**
 * The Kommune question shared by the guided dialogs (eligibility, booking): the saved Kommune
 * ("Geht es um Buseck?"), a name, an AGS or a sentence naming one, and the question back when a
 * name fits several ("Welches Lautertal?") or none. After "which one?", only the offered
 * Kommunen can be picked ("die Stadt", "der Landkreis", "die im Vogelsberg", "2"): a district
 * named as the place of a Gemeinde picks that Gemeinde, never the district.
 */
export interface Candidate {
  label: string;
  ags: string;
}

/** What the open Kommune prompt asked (kept in the prompt's validations: plain JSON). */
export interface KommuneAsk {
  slot: 'savedKommune' | 'kommune';
  savedAgs?: string;
  /** The name that fits several Kommunen and the ones offered: only these can be picked. */
  which?: { input: string; candidates: Candidate[] };
  /** "Meinten Sie …?" after a name that fits none exactly. */
  suggestions?: Candidate[];
}

export type KommuneAnswer = { ags: string } | { declined: true } | { association: Association };

export interface KommuneTexts {
  ask: string;
  saved: (name: string) => { text: string; actions: string[] };
  retrySaved: (name: string) => string;
  empty: string;
  notFound: (input: string) => string;
  suggest: (input: string) => string;
  ambiguous: (input: string) => string;
  whichAgain: (input: string) => string;
  outsideHessen: (input: string, land?: string) => string;
  otherKommune: string;
}

export type KommuneRead = { value: KommuneAnswer } | { retry: string; actions: string[] };

export class KommuneQuestion {
  constructor(
    private readonly eligibility: EligibilityService,
    private readonly texts: KommuneTexts,
    private readonly opts: { associations?: boolean } = {},
  ) {}

  /** The first question: the saved Kommune, what the opening sentence said, or the plain question. */
  first(saved: Kommune | undefined, opening: Resolution | undefined): { ask: KommuneAsk; prompt: Partial<Activity>; retry?: Partial<Activity> } {
    if (saved && !opening) {
      const q = this.texts.saved(saved.shortName);
      return { ask: { slot: 'savedKommune', savedAgs: saved.ags }, prompt: MessageFactory.suggestedActions(q.actions, q.text), retry: MessageFactory.suggestedActions(q.actions, this.texts.retrySaved(saved.shortName)) };
    }
    const ask: KommuneAsk = { slot: 'kommune' };
    if (opening && opening.kind !== 'found') {
      const reply = this.reply(opening, opening.kind === 'outside-hessen' ? opening.input : '', ask);
      return { ask, prompt: MessageFactory.suggestedActions(reply.actions, reply.retry) };
    }
    return { ask, prompt: MessageFactory.text(this.texts.ask) };
  }

  /** Reads one answer; `ask` is updated with the choices a question back offers. */
  read(text: string, ask: KommuneAsk): KommuneRead {
    if (ask.slot === 'savedKommune') {
      const yes = readYesNo(text);
      if (yes === true) return { value: { ags: ask.savedAgs! } };
      if (yes === false || nameKey(text).startsWith('andere')) return { value: { declined: true } };
      // Another name instead of yes/no: from here on the prompt asks for the Kommune.
      ask.slot = 'kommune';
    }
    if (ask.which) {
      const pick = this.pick(text, ask.which.candidates);
      if (pick) return { value: { ags: pick.ags } };
      if (nameKey(text).startsWith('andere')) {
        ask.which = undefined;
        return { retry: this.texts.ask, actions: [] };
      }
      return { retry: this.texts.whichAgain(ask.which.input), actions: [...ask.which.candidates.map((c) => c.label), this.texts.otherKommune] };
    }
    if (ask.suggestions?.length) {
      const pick = this.pick(text, ask.suggestions);
      if (pick) return { value: { ags: pick.ags } };
    }
    const association = this.opts.associations ? recogniseAssociation(text) : undefined;
    if (association) return { value: { association } };
    let r = this.eligibility.register.resolve(text);
    // "Wir sind die Gemeinde Lautertal": a sentence naming one.
    if (r.kind === 'not-found') r = this.eligibility.parseQuestion(text).kommune ?? r;
    if (r.kind === 'found') return { value: { ags: r.kommune.ags } };
    return this.reply(r, text, ask);
  }

  /** Text and choices for a name that did not give exactly one Hessian Kommune. */
  private reply(r: Resolution, input: string, ask: KommuneAsk): { retry: string; actions: string[] } {
    ask.which = undefined;
    ask.suggestions = undefined;
    switch (r.kind) {
      case 'found':
        return { retry: this.texts.ask, actions: [] };
      case 'ambiguous': {
        const name = input.trim() || r.candidates[0].shortName.replace(/\s*\(.*\)$/, '');
        ask.which = { input: name, candidates: r.candidates.map((k) => this.candidate(k)) };
        return { retry: this.texts.ambiguous(name), actions: [...ask.which.candidates.map((c) => c.label), this.texts.otherKommune] };
      }
      case 'outside-hessen':
        return { retry: this.texts.outsideHessen(r.input, r.land), actions: [] };
      case 'not-found':
        if (!input.trim()) return { retry: this.texts.empty, actions: [] };
        ask.suggestions = r.suggestions.map((k) => this.candidate(k));
        return ask.suggestions.length
          ? { retry: this.texts.suggest(input.trim().slice(0, 80)), actions: ask.suggestions.map((c) => c.label) }
          : { retry: this.texts.notFound(input.trim().slice(0, 80)), actions: [] };
    }
  }

  /** One of the offered Kommunen: its button label, number, kind or place; undefined otherwise. */
  private pick(text: string, candidates: Candidate[]): Candidate | undefined {
    const exact = candidates.find((c) => nameKey(c.label) === nameKey(text));
    if (exact) return exact;
    const described: KommuneCandidate[] = candidates.map((c) => {
      const k = this.eligibility.register.byAgs(c.ags)!;
      const district = this.eligibility.register.districtOf(k);
      return { ags: k.ags, kind: k.kind, names: [k.name, k.shortName, c.label, ...(district ? [district.name, district.shortName] : [])] };
    });
    const i = readKommuneChoice(text, described);
    return i === undefined ? undefined : candidates[i];
  }

  /** "Lautertal (Odenwald) – Gemeinde im Landkreis Bergstraße", "Landkreis Gießen". */
  candidate(k: Kommune): Candidate {
    if (k.kind === 'landkreis') return { label: k.shortName, ags: k.ags };
    const district = this.eligibility.register.districtOf(k);
    const kind = kindLabel(k.kind);
    return { label: district ? `${k.shortName} – ${kind} im ${district.shortName}` : `${k.shortName} – ${kind}`, ags: k.ags };
  }
}
