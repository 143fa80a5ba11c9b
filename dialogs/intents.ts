import { createEligibilityService } from '../src/eligibility';
import { createNlu, type Intent, isStaffCommand, type Nlu } from '../src/nlu';

/**
 * What a message with no dialog open asks for, the way the bot reads it (src/nlu), for scripts
 * and tests that route messages without starting the app (the knowledge evaluation, the Teams
 * command list). The bot itself uses the Nlu built once by the composition root.
 */
export { isStaffCommand };

export type RoutedIntent = Intent | 'notifyHere';

let nlu: Nlu | undefined;

export function detectIntent(text: string | undefined): RoutedIntent {
  if (isStaffCommand(text ?? '')) return 'notifyHere';
  nlu ??= createNlu({ eligibility: createEligibilityService() });
  return nlu.understand(text ?? '').intent;
}
