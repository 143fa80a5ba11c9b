import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { PNG } from 'pngjs';
import {
  buildTeamsManifest,
  loadCommands,
  readTeamsPackageSettings,
  TeamsPackageConfigError,
  writeTeamsPackage,
  type TeamsPackageSettings,
} from '../../scripts/teams-package';
import { colorIcon, outlineIcon } from '../../scripts/make-icons';
import { detectIntent } from '../../dialogs/intents';
import { projectRoot } from '../../src/paths';
import { readZip } from './read-zip';

const BOT_ID = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const TEAMS_APP_ID = '6c2b9a1e-3f4d-4e5a-9b8c-7d6e5f4a3b2c';
const env = {
  MicrosoftAppId: BOT_ID,
  TEAMS_APP_ID,
  PUBLIC_BASE_URL: 'https://kdlz-bot.example.de/',
  TEAMS_DEVELOPER_NAME: 'Beispiel-Betreiber',
  PRIVACY_URL: 'https://kdlz-bot.example.de/datenschutz',
  TEAMS_TERMS_URL: 'https://kdlz-bot.example.de/nutzungsbedingungen',
};
const settings: TeamsPackageSettings = readTeamsPackageSettings(env, '0.1.0');
const manifestDir = path.join(projectRoot(), 'manifest');

/** The official schema of the manifest's own version, as shipped in @microsoft/app-manifest; never fetched. */
function schemaValidator(manifestVersion: string) {
  const file = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`,
  );
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
}

const readPng = (file: string) => PNG.sync.read(readFileSync(path.join(manifestDir, file)));

describe('Teams manifest', () => {
  const manifest = buildTeamsManifest(settings);

  it('is valid against the official Teams schema of its version (offline)', () => {
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.17);
    const validate = schemaValidator(manifest.manifestVersion);
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check does catch a broken manifest', () => {
    const validate = schemaValidator(manifest.manifestVersion);
    const broken = structuredClone(manifest);
    broken.bots[0].botId = 'not-a-guid';
    broken.name.short = 'x'.repeat(31);
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/bots/0/botId', '/name/short']));
  });

  it('carries the configured ids and host and no leftover placeholder', () => {
    expect(JSON.stringify(manifest)).not.toContain('{{');
    expect(manifest.id).toBe(TEAMS_APP_ID);
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.webApplicationInfo).toEqual({ id: BOT_ID, resource: `api://kdlz-bot.example.de/${BOT_ID}` });
    expect(manifest.validDomains).toEqual(['kdlz-bot.example.de']);
    expect(manifest.developer).toEqual({
      name: 'Beispiel-Betreiber',
      websiteUrl: 'https://kdlz-bot.example.de',
      privacyUrl: 'https://kdlz-bot.example.de/datenschutz',
      termsOfUseUrl: 'https://kdlz-bot.example.de/nutzungsbedingungen',
    });
    const tab = manifest.staticTabs.find((t: { entityId: string }) => t.entityId === 'meine-termine');
    expect(tab).toMatchObject({ name: 'Meine Termine', contentUrl: 'https://kdlz-bot.example.de/tab', scopes: ['personal'] });
  });

  it('keeps a path in PUBLIC_BASE_URL for the tab, and only the host for domains and SSO', () => {
    const m = buildTeamsManifest(readTeamsPackageSettings({ ...env, PUBLIC_BASE_URL: 'https://portal.example.de/kdlz' }, '0.1.0'));
    expect(m.staticTabs[1].contentUrl).toBe('https://portal.example.de/kdlz/tab');
    expect(m.validDomains).toEqual(['portal.example.de']);
    expect(m.webApplicationInfo.resource).toBe(`api://portal.example.de/${BOT_ID}`);
  });

  it('offers the bot in personal, team and group chats with the German commands', () => {
    expect(manifest.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    const titlesFor = (scope: string) =>
      manifest.bots[0].commandLists
        .filter((l: { scopes: string[] }) => l.scopes.includes(scope))
        .flatMap((l: { commands: Array<{ title: string }> }) => l.commands.map((c) => c.title));
    expect(titlesFor('personal')).toEqual(['Frage stellen', 'Förderfähigkeit prüfen', 'Termin vereinbaren', 'Meine Termine', 'Hilfe']);
    // Appointments are personal: never listed where a whole team reads along.
    expect(titlesFor('team')).toEqual(['Frage stellen', 'Förderfähigkeit prüfen', 'Termin vereinbaren', 'Hilfe']);
    expect(titlesFor('groupChat')).toEqual(titlesFor('team'));
  });

  it('every command in the manifest is understood by the bot as its intent', () => {
    const commands = loadCommands();
    expect(commands.length).toBe(5);
    for (const command of commands) {
      expect({ title: command.title, intent: detectIntent(command.title) }).toEqual({ title: command.title, intent: command.intent });
      // Teams sends what users pick from the command menu as plain text, sometimes after an @mention.
      expect(detectIntent(command.title.toLowerCase())).toBe(command.intent);
    }
  });
});

describe('package settings', () => {
  it('names every missing variable in one message', () => {
    let error: unknown;
    try {
      readTeamsPackageSettings({}, '0.1.0');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TeamsPackageConfigError);
    const message = (error as Error).message;
    for (const name of ['MicrosoftAppId', 'TEAMS_APP_ID', 'PUBLIC_BASE_URL', 'TEAMS_DEVELOPER_NAME', 'PRIVACY_URL', 'TEAMS_TERMS_URL']) {
      expect(message).toContain(name);
    }
  });

  it.each([
    [{ MicrosoftAppId: 'bot' }, 'MicrosoftAppId: muss eine GUID sein'],
    [{ PUBLIC_BASE_URL: 'http://kdlz-bot.example.de' }, 'PUBLIC_BASE_URL: muss mit https://'],
    [{ PRIVACY_URL: 'datenschutz' }, 'PRIVACY_URL: keine gültige URL'],
    [{ TEAMS_APP_VERSION: '1.0' }, 'TEAMS_APP_VERSION'],
    [{ TEAMS_DEVELOPER_NAME: 'x'.repeat(33) }, 'TEAMS_DEVELOPER_NAME: höchstens 32'],
  ])('rejects %j', (override, expected) => {
    expect(() => readTeamsPackageSettings({ ...env, ...override }, '0.1.0')).toThrow(expected);
  });

  it('takes the version from TEAMS_APP_VERSION, else the default', () => {
    expect(settings.appVersion).toBe('0.1.0');
    expect(readTeamsPackageSettings({ ...env, TEAMS_APP_VERSION: '1.4.2' }, '0.1.0').appVersion).toBe('1.4.2');
  });
});

describe('icons', () => {
  it('color.png is 192×192, opaque and in Hessian red and white', () => {
    const png = readPng('color.png');
    expect([png.width, png.height]).toEqual([192, 192]);
    const pixel = (x: number, y: number) => [...png.data.subarray((y * 192 + x) * 4, (y * 192 + x) * 4 + 4)];
    expect(pixel(2, 2)).toEqual([200, 16, 46, 255]);
    expect(pixel(96, 150)).toEqual([255, 255, 255, 255]); // the shield
    for (let i = 3; i < png.data.length; i += 4) expect(png.data[i]).toBe(255);
  });

  it('outline.png is 32×32, white only on a transparent background', () => {
    const png = readPng('outline.png');
    expect([png.width, png.height]).toEqual([32, 32]);
    let opaque = 0;
    let transparent = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = png.data.subarray(i, i + 4);
      if (a > 0) expect([r, g, b]).toEqual([255, 255, 255]);
      if (a === 255) opaque++;
      if (a === 0) transparent++;
    }
    // A real drawing, not an empty or a filled square.
    expect(opaque).toBeGreaterThan(100);
    expect(transparent).toBeGreaterThan(400);
    expect(png.data[3]).toBe(0); // top-left corner is background
  });

  it('the committed icons are what scripts/make-icons.ts draws', () => {
    expect(Buffer.from(colorIcon().data).equals(readPng('color.png').data)).toBe(true);
    expect(Buffer.from(outlineIcon().data).equals(readPng('outline.png').data)).toBe(true);
  });
});

describe('app package zip', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kdlz-teams-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds exactly manifest.json and both icons at the top level', async () => {
    const file = await writeTeamsPackage(settings, path.join(dir, 'out', 'kdlz-bot-teams.zip'));
    const entries = readZip(readFileSync(file));
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const packed = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    expect(packed).toEqual(buildTeamsManifest(settings));
    expect(schemaValidator(packed.manifestVersion)(packed)).toBe(true);
    expect(entries.get('color.png')!.equals(readFileSync(path.join(manifestDir, 'color.png')))).toBe(true);
    expect(entries.get('outline.png')!.equals(readFileSync(path.join(manifestDir, 'outline.png')))).toBe(true);
  });
});
