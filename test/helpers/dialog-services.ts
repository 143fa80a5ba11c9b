import { ConversationState, MemoryStorage, type UserState } from 'botbuilder';
import { type Dialog, WaterfallDialog } from 'botbuilder-dialogs';
import type { ConversationMemory, DialogServices, UserProfile } from '../../dialogs/services';
import { createEligibilityService, type EligibilityService } from '../../src/eligibility';
import { createNlu, type Nlu } from '../../src/nlu';
import type { KnowledgeAnswer } from '../../src/knowledge';

let eligibility: EligibilityService | undefined;
let nlu: Nlu | undefined;

/** One register and one trained intent model per test worker (both are read-only). */
export function testEligibility(): EligibilityService {
  return (eligibility ??= createEligibilityService());
}

export function testNlu(): Nlu {
  return (nlu ??= createNlu({ eligibility: testEligibility() }));
}

/** A knowledge base stand-in for dialog tests: answers every question with a recognisable text. */
export function fakeKnowledge(answer: (q: string) => Partial<KnowledgeAnswer> = (q) => ({ kind: 'answer', text: `Antwort der Wissensbasis auf: ${q}` })) {
  return {
    articleCount: 1,
    answer: async (q: string) => ({ kind: 'answer', citations: [], language: 'de', score: 1, text: '', ...answer(q) }) as KnowledgeAnswer,
    recordFeedback: async () => undefined,
    firstAid: () => ({ kind: 'emergency', text: 'Notfall – Erste Hilfe der Wissensbasis', citations: [], language: 'de', score: 1 }) as KnowledgeAnswer,
    answerFrom: async (_article: string, q: string) => ({ kind: 'answer', text: `Antwort aus Artikel auf: ${q}`, citations: [], language: 'de', score: 1 }) as KnowledgeAnswer,
  };
}

/** DialogServices for a dialog under test; `extra` overrides or adds (booking, knowledge, personalData …). */
export function dialogServices(userState: UserState, conversationState: ConversationState | undefined, extra: Partial<DialogServices> = {}): DialogServices {
  return {
    userProfile: userState.createProperty<UserProfile>('profile'),
    conversationMemory: (conversationState ?? new ConversationState(new MemoryStorage())).createProperty<ConversationMemory>('memory'),
    eligibility: testEligibility(),
    nlu: testNlu(),
    knowledge: fakeKnowledge(),
    ...extra,
  } as DialogServices;
}

/** Children a routing test does not exercise: each says its name and ends, so a wrong route shows. */
export function otherChildren(): { booking: Dialog; myAppointments: Dialog; deleteMyData: Dialog; handoff: Dialog } {
  const say = (id: string) =>
    new WaterfallDialog(id, [
      async (step) => {
        await step.context.sendActivity(`[${id}]`);
        return step.endDialog();
      },
    ]);
  return { booking: say('bookingDialog'), myAppointments: say('myAppointmentsDialog'), deleteMyData: say('deleteMyDataDialog'), handoff: say('handoff') };
}
