import { beforeAll, describe, expect, it } from 'vitest';
import { createKnowledgeService, type KnowledgeService } from '../../src/knowledge';
import { decide, DECISION, type DecisionSignals } from '../../src/knowledge/decide';
import { focusSegments, splitSentences, STORY_WEIGHT } from '../../src/knowledge/message';

let svc: KnowledgeService;
beforeAll(async () => {
  svc = await createKnowledgeService({});
});

describe('long messages', () => {
  it('splits sentences without breaking at abbreviations or figures', () => {
    expect(splitSentences('Wir sind z. B. 8.000 Einwohner. Was kostet das? Danke!').map((s) => s.text)).toEqual([
      'Wir sind z. B. 8.000 Einwohner.',
      'Was kostet das?',
      'Danke!',
    ]);
  });

  it('keeps the question sentences at full weight and the story around them low', () => {
    const story = 'Wir hatten 2017 schon einmal eine Prüfung durch einen Dienstleister, damals mit einem langen Bericht und vielen Empfehlungen für die Verwaltung.';
    const segs = focusSegments(`${story} Können wir die Prüfung beim KDLZ wiederholen?`);
    expect(segs.map((s) => s.weight)).toEqual([STORY_WEIGHT, 1]);
    expect(focusSegments('Was kostet das?')).toEqual([{ text: 'Was kostet das?', weight: 1 }]);
  });

  it('answers a question whether or not a story comes before it', async () => {
    const q = 'Wie viel Geld bekommen drei Kommunen bei der IKZ-Förderung?';
    const story = 'Wir sind drei kleine Gemeinden im Vogelsberg und reden seit dem letzten Winter darüber, unsere Kassen und die Bauhöfe gemeinsam zu betreiben. Der Bürgermeister ist dafür, der Kämmerer noch skeptisch.';
    const short = await svc.answer(q);
    const long = await svc.answer(`${story} ${q}`);
    expect(short.kind).toBe('answer');
    expect(long.kind).toBe('answer');
    expect(long.text).toContain('75.000');
  });
});

describe('decision', () => {
  const base: DecisionSignals = { coverage: 0, key: 0, score: 10, variant: 0, runnerUp: 0 };
  it('answers, clarifies or declines by the signals', () => {
    expect(decide({ ...base, coverage: DECISION.answerCoverage })).toBe('answer');
    expect(decide({ ...base, coverage: DECISION.clarifyCoverage, key: 1 })).toBe('clarify');
    expect(decide({ ...base, coverage: DECISION.clarifyCoverage, key: 0.5 })).toBe('decline');
    expect(decide({ ...base, variant: DECISION.answerVariant, variantArticle: 2, article: 2 })).toBe('answer');
    expect(decide({ ...base, variant: DECISION.answerVariant, variantArticle: 2, article: 3 })).toBe('decline');
    expect(decide({ ...base, coverage: 0.1 })).toBe('decline');
  });
});

describe('first aid', () => {
  it('is the fixed, sourced answer built from the emergency article', () => {
    const a = svc.firstAid();
    expect(a.kind).toBe('emergency');
    expect(a.text).toContain('0611-83 8377');
    expect(a.text).toMatch(/Hessen3C/);
    expect(a.text).toMatch(/72 Stunden/);
    expect(a.text).toMatch(/nicht herunterfahren|nicht ausschalten/i);
    expect(a.text).toMatch(/kein Lösegeld/);
    expect(a.citations.length).toBeGreaterThanOrEqual(2);
    expect(a.citations.every((c) => c.article === 'notfall-erste-hilfe' && /^https?:\/\//.test(c.url))).toBe(true);
    // Every [n] in the text points at a citation.
    const marks = [...a.text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    expect(Math.max(...marks)).toBe(a.citations.length);
  });

  it('answers an incident that retrieval lands on the emergency article with first aid', async () => {
    const a = await svc.answer('Wir wurden gehackt, was sollen wir sofort tun?');
    expect(a.kind).toBe('emergency');
    expect(a.text).toBe(svc.firstAid().text);
  });
});

describe('answer from a chosen article', () => {
  it('answers from that article only', async () => {
    const a = await svc.answerFrom('ikz-foerderhoehe', 'Wie viel gibt es für drei?');
    expect(a.kind).toBe('answer');
    expect(a.citations[0].article).toBe('ikz-foerderhoehe');
  });

  it('declines an unknown article id', async () => {
    const a = await svc.answerFrom('gibt-es-nicht', 'Was?');
    expect(a.kind).toBe('decline');
  });
});
