/**
 * npm run booking:check — validates knowledge/booking.yaml for the people who maintain the
 * appointment calendar. Prints problems and placeholder warnings; exits 1 on errors.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkBookingConfig } from '../src/booking/check';
import { createEligibilityService } from '../src/eligibility';
import { knowledgeDir } from '../src/paths';

const file = process.argv[2] ? path.resolve(process.argv[2]) : path.join(knowledgeDir(), 'booking.yaml');
const eligibility = createEligibilityService();
const known = [...new Set(eligibility.programmes.flatMap((p) => [p.id, p.topic]))];
const { errors, warnings } = checkBookingConfig(
  readFileSync(file, 'utf8'),
  known,
  eligibility.register.all().map((k) => k.ags),
);
for (const w of warnings) console.warn(`Hinweis: ${w}`);
for (const e of errors) console.error(`Fehler: ${e}`);
if (errors.length) process.exit(1);
console.log(`booking.yaml in Ordnung (${file}).`);
