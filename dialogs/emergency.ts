import type { Activity } from 'botbuilder';
import type { KnowledgeService } from '../src/knowledge';
import { toActivity } from './knowledge-answer';

/**
 * The answer to an emergency, in MainDialog and inside every guided dialog: the knowledge base's
 * fixed, sourced first-aid answer (KnowledgeService.firstAid()).
 */
export function emergencyActivity(knowledge: KnowledgeService, text: string): Partial<Activity> {
  return toActivity(knowledge.firstAid(), text);
}
