import type { StatePropertyAccessor } from 'botbuilder';
import type { EligibilityService } from '../src/eligibility';
import type { KnowledgeService } from '../src/knowledge';
import type { BookingAvailability, BookingService } from '../src/booking';
import type { Nlu } from '../src/nlu';
import type { PersonalDataRegistry } from '../src/privacy';
import type { HandoffService, TranscriptEntry } from '../src/handoff';
import type { InsightsService } from '../src/insights';

/**
 * What a user lets the bot remember between conversations (user state). Only what a feature
 * needs; "Meine Daten löschen" clears all of it.
 */
export interface UserProfile {
  /** AGS of the Kommune the user last worked with ("Für Buseck?"). */
  kommuneAgs?: string;
  /** Booking references this user made (Teams: own bookings; web chat needs reference + e-mail). */
  bookingRefs?: string[];
}

/**
 * What the bot remembers within one conversation only (conversation state): gone with the
 * conversation, never shared with another one.
 */
export interface ConversationMemory {
  /** Booking references proven with reference + e-mail in this conversation ("Meine Termine" asks once). */
  verifiedRefs?: string[];
}

/** The domain services, built once per process by the composition root (src/app.ts). */
export interface DomainServices {
  /** Understanding: intents, entities, the emergency check (trained at start from dialogs/nlu). */
  nlu: Nlu;
  knowledge: KnowledgeService;
  eligibility: EligibilityService;
  booking: BookingService;
  /** Every store of personal data: "Meine Daten löschen" walks it. */
  personalData: PersonalDataRegistry;
  /** Off in production with the example booking.yaml; absent = booking works (tests). */
  bookingAvailability?: BookingAvailability;
  /** Handoff to the KDLZ team (live requests and callbacks). */
  handoffs: HandoffService;
  /** Anonymised daily counts for the staff page (no text, no ids). */
  insights: InsightsService;
}

/** The conversation's live handoff: while set and live, the user's messages go to the team. */
export interface ActiveHandoff {
  id: string;
}

/**
 * Everything dialogs need from the rest of the system, handed in by the composition root
 * through the bot (src/bot/runtime.ts); dialogs never construct services.
 */
export interface DialogServices extends DomainServices {
  userProfile: StatePropertyAccessor<UserProfile>;
  /** The conversation's live handoff and the last turns a handoff may pass on (conversation state). */
  handoffState?: StatePropertyAccessor<ActiveHandoff | undefined>;
  recentTurns?: StatePropertyAccessor<TranscriptEntry[]>;
  /** Clarifications in a row (a person is offered after the second). */
  clarifyStreak?: StatePropertyAccessor<number>;
  conversationMemory: StatePropertyAccessor<ConversationMemory>;
}
