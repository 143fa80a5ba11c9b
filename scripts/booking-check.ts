/**
 * npm run booking:check — validates knowledge/booking.yaml for the people who maintain the
 * appointment calendar. Prints problems and placeholder findings; exits 1 on errors.
 * In production mode (NODE_ENV=production, or `-- --production`) the example placeholders are
 * errors: the bot would not book with them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkBookingConfig } from '../src/booking/check';
import { loadScriptEnv } from '../src/config';
import { createEligibilityService } from '../src/eligibility';
import { knowledgeDir } from '../src/paths';

const args = process.argv.slice(2);
const env = loadScriptEnv();
const production = args.includes('--production') || env.NODE_ENV === 'production';
const fileArg = args.find((a) => !a.startsWith('--'));
const file = fileArg ? path.resolve(fileArg) : path.join(knowledgeDir(), 'booking.yaml');
const eligibility = createEligibilityService();
const known = [...new Set(eligibility.programmes.flatMap((p) => [p.id, p.topic]))];
const { errors, warnings } = checkBookingConfig(
  readFileSync(file, 'utf8'),
  known,
  eligibility.register.all().map((k) => k.ags),
  { production, smtpFrom: env.SMTP_FROM },
);
for (const w of warnings) console.warn(`Hinweis: ${w}`);
for (const e of errors) console.error(`Fehler: ${e}`);
if (errors.length) {
  if (production) console.error('In Produktion bucht der Bot mit dieser Datei nicht (Buchung aus, /readyz nennt den Grund).');
  process.exit(1);
}
console.log(`booking.yaml in Ordnung (${file}; ${production ? 'Produktion' : 'Entwicklung/Test – Beispielkalender erlaubt'}).`);
