import { z } from 'zod';

/**
 * All configuration, parsed once at start from the environment. Nothing else in the project
 * reads process.env: modules take what they need from this object.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `eine ganze Zahl von ${min} bis ${max} erwartet, erhalten "${v}"` });
        return z.NEVER;
      }
      return n;
    });
const url = optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/i.test(v), 'eine http(s)-URL erwartet');
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const list = optionalString.transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).optional().default('development'),
  PORT: int(3978, 0, 65535),
  HOST: optionalString.transform((v) => v ?? '0.0.0.0'),
  /** Public base URL of this service (links in e-mails, Teams tab, Direct Line stream URLs). */
  PUBLIC_BASE_URL: url,

  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalString,
  TEAMS_APP_ID: optionalString,
  /** Who may make a Teams channel the booking-notification target ("Benachrichtigungen hier"). */
  STAFF_CHANNEL_TENANT_ID: optionalString,
  STAFF_CHANNEL_TEAM_IDS: list,
  STAFF_CHANNEL_ADMINS: list,

  DIRECT_LINE_SECRET: optionalString,
  DIRECT_LINE_TOKEN_TTL_SEC: int(1800, 10, 86_400),
  DIRECT_LINE_CONVERSATION_TTL_HOURS: int(24, 1, 24 * 90),
  WEBCHAT_ALLOWED_ORIGINS: list,
  FRAME_ANCESTORS: optionalString.transform((v) => v ?? "'self'"),
  TOKEN_RATE_LIMIT_PER_MIN: int(20, 1, 100_000),
  /** Reverse proxies in front of the service that append to X-Forwarded-For (0: use the socket address). */
  TRUST_PROXY_HOPS: int(0, 0, 10),

  DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), 'eine postgres://-URL erwartet'),
  SQLITE_FILE: optionalString.transform((v) => v ?? './data/kdlz.db'),

  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional().default('info'),
  LOG_MESSAGE_TEXT: bool,

  LLM_PROVIDER: z.enum(['azure-openai', 'openai', 'ollama', '']).optional().transform((v) => v || undefined),
  LLM_ENDPOINT: url,
  LLM_MODEL: optionalString,
  LLM_API_KEY: optionalString,
  LLM_TIMEOUT_MS: int(8000, 100, 120_000),

  BOOKING_WEBHOOK_URL: url,
  BOOKING_WEBHOOK_SECRET: optionalString,
  SMTP_URL: optionalString.refine((v) => v === undefined || /^smtps?:\/\//.test(v), 'eine smtp://-URL erwartet'),
  SMTP_FROM: optionalString,
  OUTBOX_DIR: optionalString.transform((v) => v ?? './data/outbox'),
  STAFF_API_TOKEN: optionalString,
  CONTACT_RETENTION_DAYS: int(90, 1, 3650),
  /** Declined questions and answer feedback (knowledge_unanswered, knowledge_feedback). */
  KNOWLEDGE_LOG_RETENTION_DAYS: int(180, 1, 3650),
  /** Conversation, dialog and user state (kv_state), counted from its last change. */
  BOT_STATE_RETENTION_DAYS: int(30, 1, 3650),
  /** Booking outbox: how long a delivery claim lasts (a crashed instance's rows are taken over after it) and the first retry delay. */
  BOOKING_OUTBOX_LEASE_SEC: int(60, 1, 3600),
  BOOKING_RETRY_BASE_SEC: int(5, 1, 3600),

  /** Handoff to a person: a live request nobody takes within this many minutes becomes a callback request. */
  HANDOFF_WAIT_TIMEOUT_MIN: int(10, 1, 24 * 60),
  /** Handoff requests and their transcripts are deleted this many days after their last change. */
  HANDOFF_RETENTION_DAYS: int(30, 1, 3650),
  /** Staff page /staff: Entra ID sign-in (OIDC, PKCE) with this app registration; unset: the staff token. */
  STAFF_OIDC_CLIENT_ID: optionalString.refine((v) => v === undefined || GUID.test(v), 'eine GUID erwartet'),
  STAFF_OIDC_TENANT_ID: optionalString.refine((v) => v === undefined || GUID.test(v), 'eine GUID erwartet'),
  /** App role a signed-in person must hold to see the staff page and use the staff API. */
  STAFF_OIDC_ROLE: optionalString.transform((v) => v ?? 'KDLZ.Staff'),

  /** Contact for feedback on accessibility and privacy (BITV 2.0); shown as configured, never invented. */
  CONTACT_EMAIL: optionalString,
  PRIVACY_URL: optionalString,
});

export type Config = z.output<typeof schema>;

/** Secrets this service checks itself; production refuses weak ones (anyone could guess them offline). */
export const CHECKED_SECRETS = ['DIRECT_LINE_SECRET', 'STAFF_API_TOKEN', 'BOOKING_WEBHOOK_SECRET'] as const;
export const MIN_SECRET_LENGTH = 32;

/**
 * Why a secret is too weak to stand against offline guessing, or undefined. A Direct Line token
 * is signed with a key derived from DIRECT_LINE_SECRET, so one issued token is enough to test
 * guesses at full speed. Asked for: 32 or more random characters. The checks catch what people
 * type instead (short words, repetitions, runs like "abcdef…"); they cannot prove randomness.
 */
export function secretWeakness(value: string): string | undefined {
  const chars = [...value];
  if (chars.length < MIN_SECRET_LENGTH) return `zu kurz (${chars.length} Zeichen, mindestens ${MIN_SECRET_LENGTH})`;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  // Thresholds leave room for `openssl rand -hex 16` (in 200,000 samples: ≥ 8 distinct characters,
  // ≥ 2.8 bits per character, ≤ 13 neighbours one code point apart).
  if (counts.size < 6) return `zu wenige verschiedene Zeichen (${counts.size})`;
  for (let period = 1; period <= chars.length / 2; period++) {
    if (chars.every((c, i) => i < period || c === chars[i - period])) return 'wiederholt immer dieselbe Zeichenfolge';
  }
  let steps = 0;
  for (let i = 1; i < chars.length; i++) if (Math.abs(chars[i].codePointAt(0)! - chars[i - 1].codePointAt(0)!) === 1) steps++;
  if (steps > chars.length * 0.6) return 'besteht zu großen Teilen aus fortlaufenden Zeichen';
  let bits = 0;
  for (const n of counts.values()) bits -= (n / chars.length) * Math.log2(n / chars.length);
  if (bits < 2.5) return 'zu regelmäßig';
  return undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super('Ungültige Konfiguration:\n' + problems.map((p) => '  - ' + p).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Parses and checks the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  const problems: string[] = [];
  if (c.NODE_ENV === 'production') {
    for (const name of CHECKED_SECRETS) {
      const value = c[name];
      const weakness = value === undefined ? undefined : secretWeakness(value);
      if (weakness) problems.push(`${name}: in production zu schwach – ${weakness}. Nötig sind mindestens ${MIN_SECRET_LENGTH} zufällige Zeichen, z. B. aus \`openssl rand -base64 32\`.`);
    }
    if (!c.MicrosoftAppId) problems.push('MicrosoftAppId: in production nötig (Azure-Bot-Registrierung)');
    if (!c.DIRECT_LINE_SECRET) problems.push('DIRECT_LINE_SECRET: in production nötig (Web-Chat-Token)');
    if (!c.DATABASE_URL && !env.SQLITE_FILE) {
      problems.push('DATABASE_URL oder SQLITE_FILE: in production muss der Speicher ausdrücklich gesetzt sein');
    }
  }
  if (c.MicrosoftAppId && !c.MicrosoftAppPassword && c.MicrosoftAppType !== 'UserAssignedMSI') {
    problems.push('MicrosoftAppPassword: nötig, wenn MicrosoftAppId gesetzt ist');
  }
  if (c.MicrosoftAppType === 'SingleTenant' && !c.MicrosoftAppTenantId) {
    problems.push('MicrosoftAppTenantId: nötig für MicrosoftAppType=SingleTenant');
  }
  if (c.LLM_PROVIDER && !c.LLM_MODEL) problems.push('LLM_MODEL: nötig, wenn LLM_PROVIDER gesetzt ist');
  if (c.BOOKING_WEBHOOK_URL && !c.BOOKING_WEBHOOK_SECRET) {
    problems.push('BOOKING_WEBHOOK_SECRET: nötig, wenn BOOKING_WEBHOOK_URL gesetzt ist (HMAC-Signatur)');
  }
  if (!!c.STAFF_OIDC_CLIENT_ID !== !!c.STAFF_OIDC_TENANT_ID) {
    problems.push('STAFF_OIDC_CLIENT_ID und STAFF_OIDC_TENANT_ID: nur zusammen setzen (Anmeldung der Mitarbeitenden mit Entra ID)');
  }
  if (problems.length) throw new ConfigError(problems);
  return c;
}

/**
 * Settings of the terminal client (`npm run chat`), which talks to a running server: KDLZ_URL,
 * else the local server on PORT (the same variable `npm start` listens on), else port 3978.
 */
export function loadChatConfig(env: NodeJS.ProcessEnv = process.env): { url: string } {
  const parsed = z.object({ KDLZ_URL: url, PORT: int(3978, 1, 65535) }).safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return { url: (parsed.data.KDLZ_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/+$/, '') };
}

/**
 * What maintenance scripts (`npm run booking:check`) need from the environment, without the
 * server's production requirements (app id, secrets): the mode and the invitation sender.
 */
export function loadScriptEnv(env: NodeJS.ProcessEnv = process.env): Pick<Config, 'NODE_ENV' | 'SMTP_FROM'> {
  const parsed = schema.pick({ NODE_ENV: true, SMTP_FROM: true }).safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return parsed.data;
}
