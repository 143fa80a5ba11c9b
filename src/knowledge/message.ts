import { fold } from '../text/fold';

/**
 * Long messages tell a situation first and ask at the end ("Wir hatten 2017 schon mal … Können
 * wir die Prüfung wiederholen?"). The question sentences carry what is asked; the story gives
 * context but, counted in full, drowns the question: every extra word lowers the share of the
 * question a passage covers. So a message is cut into sentences, the question sentences keep
 * their full weight, and the rest counts STORY_WEIGHT.
 */
export interface Segment {
  text: string;
  /** 1 for what is asked, STORY_WEIGHT for the story around it. */
  weight: number;
}

export const STORY_WEIGHT = 0.35;
/** Messages up to this length are one segment: short questions have no story to down-weight. */
const SHORT = 140;

/** First words that open a question (folded), German and English. */
const QUESTION_OPENERS = new Set([
  'wie', 'was', 'wer', 'wem', 'wen', 'wo', 'wann', 'welche', 'welcher', 'welches', 'welchen', 'welchem', 'warum', 'weshalb', 'wieso',
  'woher', 'wohin', 'womit', 'wofuer', 'worauf', 'wieviel', 'wieviele', 'kann', 'koennen', 'koennt', 'koennte', 'koennten', 'gibt', 'gibts',
  'muss', 'muessen', 'darf', 'duerfen', 'soll', 'sollen', 'sollten', 'ist', 'sind', 'habt', 'haben', 'hat', 'bekommen', 'brauchen',
  'braucht', 'stimmt', 'gilt', 'lohnt', 'reicht', 'bitte', 'how', 'what', 'who', 'whom', 'where', 'when', 'which', 'why', 'can', 'could',
  'do', 'does', 'is', 'are', 'should', 'must', 'will', 'would', 'any',
]);

/**
 * Sentences of a message: ends at . ! ? (runs of them) followed by a space, and at line breaks.
 * A single linear pass over the characters, no regular expression on the user's text.
 */
export function splitSentences(text: string): { text: string; asks: boolean }[] {
  const out: { text: string; asks: boolean }[] = [];
  let start = 0;
  const push = (end: number, asks: boolean) => {
    const s = text.slice(start, end).trim();
    if (s) out.push({ text: s, asks });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      push(i, false);
      start = i + 1;
    } else if (c === '.' || c === '!' || c === '?') {
      let j = i;
      let asks = false;
      while (j < text.length && (text[j] === '.' || text[j] === '!' || text[j] === '?')) {
        if (text[j] === '?') asks = true;
        j++;
      }
      // "z. B.", "Nr. 5", "8.000": only a punctuation run followed by white space (or the end) ends a sentence.
      if (j >= text.length || text[j] === ' ' || text[j] === '\n' || text[j] === '\t') {
        const before = text.slice(Math.max(start, i - 4), i);
        const abbreviation = c === '.' && /(^|[^\p{L}])(z|b|d|h|u|a|ca|bzw|nr|vgl|ggf|evtl|inkl|zb|dr|st)$/iu.test(before);
        if (!abbreviation) {
          push(j, asks);
          start = j;
        }
      }
      i = j - 1;
    }
  }
  push(text.length, false);
  return out;
}

function opensQuestion(sentence: string): boolean {
  const first = fold(sentence).match(/[a-z0-9]+/);
  return !!first && QUESTION_OPENERS.has(first[0]);
}

/** The message as weighted segments: question sentences at 1, the story around them at STORY_WEIGHT. */
export function focusSegments(message: string): Segment[] {
  if (message.length <= SHORT) return [{ text: message, weight: 1 }];
  const sentences = splitSentences(message);
  if (sentences.length <= 1) return [{ text: message, weight: 1 }];
  const asks = sentences.map((s) => s.asks || opensQuestion(s.text));
  // No question sentence ("… und jetzt weiß keiner weiter"): the last sentence is what is asked.
  if (!asks.some(Boolean)) asks[asks.length - 1] = true;
  return sentences.map((s, i) => ({ text: s.text, weight: asks[i] ? 1 : STORY_WEIGHT }));
}
