/**
 * Builds the Teams app package (build/kdlz-bot-teams.zip): manifest.json with this installation's
 * ids and host filled in, plus the two icons. Run with `npm run teams:package`.
 *
 * Scripts may read the environment (src code may not); values come from the process environment
 * and, when present, the project's .env file.
 */
import { existsSync, mkdirSync, readFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { ZipFile } from 'yazl';
import { projectRoot } from '../src/paths';

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** The installation-specific values that go into manifest.json. */
export interface TeamsPackageSettings {
  /** Bot's Microsoft App ID (Azure bot registration); also the Entra app used for tab SSO. */
  microsoftAppId: string;
  /** The Teams app's own GUID, stable across versions of the package. */
  teamsAppId: string;
  /** https://host[:port][/path] where this service is reachable from Teams, no trailing slash. */
  publicBaseUrl: string;
  /** Operator shown as the app's developer in Teams (max. 32 characters). */
  developerName: string;
  websiteUrl: string;
  privacyUrl: string;
  termsUrl: string;
  /** Package version; Teams only accepts an update when this grows. */
  appVersion: string;
}

export interface CommandDefinition {
  /** Stable key the bot routes on; the title is what users see and type. */
  intent: string;
  title: string;
  description: string;
  scopes: Array<'personal' | 'team' | 'groupChat'>;
}

/** Names the environment variables that are missing or malformed, so an admin can fix them all at once. */
export class TeamsPackageConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      'Das Teams-App-Paket kann nicht gebaut werden. Bitte in .env oder der Umgebung setzen:\n' +
        problems.map((p) => '  - ' + p).join('\n'),
    );
    this.name = 'TeamsPackageConfigError';
  }
}

export const manifestDir = (): string => path.join(projectRoot(), 'manifest');
export const defaultPackagePath = (): string => path.join(projectRoot(), 'build', 'kdlz-bot-teams.zip');

/** The bot's command list, shared by the manifest and the bot's router. */
export function loadCommands(): CommandDefinition[] {
  const raw = JSON.parse(readFileSync(path.join(manifestDir(), 'commands.json'), 'utf8')) as {
    commands: CommandDefinition[];
  };
  return raw.commands;
}

function httpsUrl(name: string, value: string | undefined, problems: string[]): string {
  const v = value?.trim();
  if (!v) {
    problems.push(`${name}: fehlt`);
    return '';
  }
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    problems.push(`${name}: keine gültige URL ("${v}")`);
    return '';
  }
  if (parsed.protocol !== 'https:') problems.push(`${name}: muss mit https:// beginnen (Teams lädt nur HTTPS)`);
  return v.replace(/\/+$/, '');
}

function guid(name: string, value: string | undefined, what: string, problems: string[]): string {
  const v = value?.trim();
  if (!v) problems.push(`${name}: fehlt (${what})`);
  else if (!GUID.test(v)) problems.push(`${name}: muss eine GUID sein, z. B. 00000000-0000-0000-0000-000000000000 (${what})`);
  return v ?? '';
}

/** Reads and checks the settings; throws TeamsPackageConfigError listing every problem. */
export function readTeamsPackageSettings(env: NodeJS.ProcessEnv, defaultVersion: string): TeamsPackageSettings {
  const problems: string[] = [];
  const microsoftAppId = guid('MicrosoftAppId', env.MicrosoftAppId, 'App-ID der Azure-Bot-Registrierung', problems);
  const teamsAppId = guid('TEAMS_APP_ID', env.TEAMS_APP_ID, 'eigene, feste ID der Teams-App', problems);
  const publicBaseUrl = httpsUrl('PUBLIC_BASE_URL', env.PUBLIC_BASE_URL, problems);
  const developerName = env.TEAMS_DEVELOPER_NAME?.trim() ?? '';
  if (!developerName) problems.push('TEAMS_DEVELOPER_NAME: fehlt (Betreiber, der in Teams als Herausgeber erscheint)');
  else if (developerName.length > 32) problems.push('TEAMS_DEVELOPER_NAME: höchstens 32 Zeichen');
  const privacyUrl = httpsUrl('PRIVACY_URL', env.PRIVACY_URL, problems);
  const termsUrl = httpsUrl('TEAMS_TERMS_URL', env.TEAMS_TERMS_URL, problems);
  const websiteUrl = env.TEAMS_WEBSITE_URL?.trim()
    ? httpsUrl('TEAMS_WEBSITE_URL', env.TEAMS_WEBSITE_URL, problems)
    : publicBaseUrl;
  const appVersion = env.TEAMS_APP_VERSION?.trim() || defaultVersion;
  if (!SEMVER.test(appVersion)) problems.push(`TEAMS_APP_VERSION: muss die Form 1.2.3 haben ("${appVersion}")`);
  if (problems.length) throw new TeamsPackageConfigError(problems);
  return { microsoftAppId, teamsAppId, publicBaseUrl, developerName, websiteUrl, privacyUrl, termsUrl, appVersion };
}

function fillPlaceholders(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{([A-Z_]+)\}\}/g, (_m, key: string) => {
      const v = values[key];
      if (v === undefined) throw new Error(`manifest.template.json: unbekannter Platzhalter {{${key}}}`);
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, values)]));
  }
  return value;
}

/** Groups commands by the set of scopes they share: Teams wants one command list per scope set. */
function commandLists(commands: CommandDefinition[]) {
  const lists = new Map<string, { scopes: string[]; commands: Array<{ title: string; description: string }> }>();
  for (const scope of ['personal', 'team', 'groupChat'] as const) {
    const inScope = commands.filter((c) => c.scopes.includes(scope));
    const key = inScope.map((c) => c.intent).join(',');
    const list = lists.get(key);
    if (list) list.scopes.push(scope);
    else lists.set(key, { scopes: [scope], commands: inScope.map(({ title, description }) => ({ title, description })) });
  }
  return [...lists.values()].filter((l) => l.commands.length > 0);
}

/** manifest.json as Teams receives it. */
export function buildTeamsManifest(settings: TeamsPackageSettings, commands = loadCommands()): Record<string, any> {
  const template = JSON.parse(readFileSync(path.join(manifestDir(), 'manifest.template.json'), 'utf8'));
  const manifest = fillPlaceholders(template, {
    APP_VERSION: settings.appVersion,
    TEAMS_APP_ID: settings.teamsAppId,
    MICROSOFT_APP_ID: settings.microsoftAppId,
    DEVELOPER_NAME: settings.developerName,
    WEBSITE_URL: settings.websiteUrl,
    PRIVACY_URL: settings.privacyUrl,
    TERMS_URL: settings.termsUrl,
    PUBLIC_BASE_URL: settings.publicBaseUrl,
    PUBLIC_HOST: new URL(settings.publicBaseUrl).host,
  }) as Record<string, any>;
  manifest.bots[0].commandLists = commandLists(commands);
  return manifest;
}

/** Writes the zip Teams admins upload: manifest.json, color.png, outline.png at the top level. */
export async function writeTeamsPackage(settings: TeamsPackageSettings, outFile = defaultPackagePath()): Promise<string> {
  const manifest = buildTeamsManifest(settings);
  mkdirSync(path.dirname(outFile), { recursive: true });
  const zip = new ZipFile();
  // A fixed date keeps the zip byte-identical for identical settings.
  const mtime = new Date('2026-01-01T00:00:00Z');
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'), 'manifest.json', { mtime });
  for (const icon of [manifest.icons.color, manifest.icons.outline] as string[]) {
    zip.addBuffer(readFileSync(path.join(manifestDir(), icon)), icon, { mtime });
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(outFile);
    out.on('close', () => resolve());
    out.on('error', reject);
    zip.outputStream.on('error', reject).pipe(out);
  });
  return outFile;
}

async function main(): Promise<void> {
  const envFile = path.join(projectRoot(), '.env');
  // Variables already set in the environment win over .env (loadEnvFile does not overwrite them).
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const pkg = JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  const settings = readTeamsPackageSettings(process.env, pkg.version);
  const file = await writeTeamsPackage(settings);
  console.log(`Teams-App-Paket geschrieben: ${path.relative(process.cwd(), file) || file}`);
  console.log(`Bot-ID ${settings.microsoftAppId}, Teams-App-ID ${settings.teamsAppId}, Version ${settings.appVersion}, Host ${new URL(settings.publicBaseUrl).host}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof TeamsPackageConfigError ? err.message : err);
    process.exitCode = 1;
  });
}
