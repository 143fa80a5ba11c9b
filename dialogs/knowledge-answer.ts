import { ActionTypes, type Activity, ActivityTypes } from 'botbuilder';
import type { KnowledgeAnswer } from '../src/knowledge';
import { KNOWLEDGE_TEXTS } from '../src/knowledge/texts';

/**
 * Value of the feedback buttons under a knowledge answer. MainDialog recognises it on the
 * incoming message (activity.value, sent by Teams and Web Chat for messageBack actions) and calls
 * KnowledgeService.recordFeedback({ question, helpful, answerKind, conversationId }):
 *
 *   { kdlz: 'feedback', helpful: true | false, answerKind: 'answer' | 'decline', question: string }
 *
 * The question travels in the value so no server-side state is needed to attribute the vote.
 */
export interface KnowledgeFeedbackValue {
  kdlz: 'feedback';
  helpful: boolean;
  answerKind: 'answer' | 'decline';
  question: string;
}

export function isKnowledgeFeedback(value: unknown): value is KnowledgeFeedbackValue {
  const v = value as Partial<KnowledgeFeedbackValue> | undefined;
  return (
    !!v &&
    v.kdlz === 'feedback' &&
    typeof v.helpful === 'boolean' &&
    (v.answerKind === 'answer' || v.answerKind === 'decline') &&
    typeof v.question === 'string'
  );
}

/**
 * Value of a clarification's buttons ("Meinen Sie …?"). MainDialog handles it as a global action
 * and answers the question from that article (KnowledgeService.answerFrom).
 */
export interface AnswerFromValue {
  kdlz: 'answerFrom';
  article: string;
  question: string;
}

export function isAnswerFrom(value: unknown): value is AnswerFromValue {
  const v = value as Partial<AnswerFromValue> | undefined;
  return !!v && v.kdlz === 'answerFrom' && typeof v.article === 'string' && v.article.length <= 200 && typeof v.question === 'string';
}

/** Longest question echoed inside a button value; Teams limits the size of an action's value. */
const MAX_VALUE_QUESTION = 500;

/**
 * Turns a knowledge answer into a message: Markdown text, the schema.org citation entity that
 * Teams renders as numbered sources (only for drawn-from-the-knowledge-base answers and the
 * first-aid answer, as DESIGN.md requires), and 👍/👎 suggested actions. A clarification gets
 * the offered articles as buttons instead, and no citation.
 */
export function toActivity(answer: KnowledgeAnswer, question = ''): Partial<Activity> {
  if (answer.kind === 'clarify') return clarification(answer, question);
  const value = (helpful: boolean): KnowledgeFeedbackValue => ({
    kdlz: 'feedback',
    helpful,
    answerKind: answer.kind === 'decline' ? 'decline' : 'answer',
    question: question.slice(0, MAX_VALUE_QUESTION),
  });
  const activity: Partial<Activity> = {
    type: ActivityTypes.Message,
    text: answer.text,
    textFormat: 'markdown',
    locale: 'de-DE',
    suggestedActions: {
      to: [],
      actions: [
        { type: ActionTypes.MessageBack, title: KNOWLEDGE_TEXTS.feedbackHelpful, text: KNOWLEDGE_TEXTS.feedbackHelpful, displayText: KNOWLEDGE_TEXTS.feedbackHelpful, value: value(true) },
        { type: ActionTypes.MessageBack, title: KNOWLEDGE_TEXTS.feedbackNotHelpful, text: KNOWLEDGE_TEXTS.feedbackNotHelpful, displayText: KNOWLEDGE_TEXTS.feedbackNotHelpful, value: value(false) },
      ],
    },
  };
  if ((answer.kind === 'answer' || answer.kind === 'emergency') && answer.citations.length > 0) {
    activity.entities = [
      {
        type: 'https://schema.org/Message',
        '@type': 'Message',
        '@context': 'https://schema.org',
        citation: answer.citations.map((c) => ({
          '@type': 'Claim',
          position: c.position,
          appearance: {
            '@type': 'DigitalDocument',
            name: c.name,
            url: c.url,
            abstract: c.abstract,
          },
        })),
      },
    ];
  }
  return activity;
}

/** "Meinen Sie …?": one button per offered article; a click answers from it. No citation: nothing is claimed. */
function clarification(answer: KnowledgeAnswer, question: string): Partial<Activity> {
  const q = question.slice(0, MAX_VALUE_QUESTION);
  return {
    type: ActivityTypes.Message,
    text: answer.text,
    textFormat: 'markdown',
    locale: 'de-DE',
    suggestedActions: {
      to: [],
      actions: (answer.options ?? []).map((o) => {
        const value: AnswerFromValue = { kdlz: 'answerFrom', article: o.articleId, question: q };
        return { type: ActionTypes.MessageBack, title: o.title, text: o.title, displayText: o.title, value };
      }),
    },
  };
}
