import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProgrammes } from '../../src/eligibility/programmes';
import { createKnowledgeService } from '../../src/knowledge';
import { knowledgeDir } from '../../src/paths';

/** Articles marked `programme: ikz-rahmenvereinbarung` carry the caveat the programme file words for the day. */
const ikz = loadProgrammes(path.join(knowledgeDir(), 'programmes')).find((p) => p.id === 'ikz-rahmenvereinbarung')!;
const onDay = (day: string) => createKnowledgeService({ now: () => new Date(`${day}T10:00:00Z`) });
const QUESTION = 'Wie hoch ist die IKZ-Förderung für drei Kommunen?';

describe('validity caveat of programme articles in knowledge answers', () => {
  it('is absent well before the assumed end, and never on other articles', async () => {
    const svc = await onDay('2026-06-01');
    const a = await svc.answer(QUESTION);
    expect(a.kind).toBe('answer');
    expect(a.text).toContain('75.000');
    expect(a.text).not.toContain(ikz.endNotice!.text);
    const late = await onDay('2026-11-15');
    const other = await late.answer('Wann wurde das Hessen3C eröffnet?');
    expect(other.kind).toBe('answer');
    expect(other.text).not.toContain(ikz.endNotice!.text);
  });

  it('is the ending-soon notice, with its source, in the 90 days before the end', async () => {
    const a = await (await onDay('2026-11-15')).answer(QUESTION);
    expect(a.text).toContain('75.000');
    expect(a.text).toContain(ikz.endNotice!.text);
    expect(a.text).toMatch(/läuft nach heutigem Stand bis Ende 2026/);
    expect(a.text).toMatch(/\(Quelle: .+, Stand: Dezember 2021\)/);
    // The answer's own source line and citation stay those of the quoted passage.
    expect(a.text).toMatch(/\n\nQuelle: Kommunales Beratungszentrum Hessen, Seite „Förderhöhe“, Stand: ohne Datum$/);
    expect(a.citations).toHaveLength(1);
  });

  it('says the rule may have expired after the end', async () => {
    const a = await (await onDay('2027-03-01')).answer(QUESTION);
    expect(a.text).toContain(ikz.expiredText!);
    expect(a.text).not.toContain(ikz.endNotice!.text);
  });
});
