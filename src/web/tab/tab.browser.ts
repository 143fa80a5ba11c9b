/**
 * Browser script of the "Meine Termine" tab. Bundled with esbuild (src/channels/tab-routes.ts),
 * because @microsoft/teams-js is not loadable as a plain ES module in the browser.
 */
import { app, authentication } from '@microsoft/teams-js';
import commandsFile from '../../../manifest/commands.json';
import type { TabAppointment, TabAppointmentsResponse } from './appointment';
import { tabTexts } from './texts';

/** Outside Teams, app.initialize() never settles; after this long the page says so. */
const INIT_TIMEOUT_MS = 4000;
const THEMES = ['default', 'dark', 'contrast'];

const byId = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;

function setStatus(text: string): void {
  byId('status').textContent = text;
}

function applyTheme(theme: string | undefined): void {
  const name = THEMES.includes(theme ?? '') ? theme : 'default';
  document.body.className = `theme-${name}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** The page is German throughout; a German regional locale from Teams (de-AT, de-CH) shapes dates. */
let dateLocale = 'de-DE';
const dateFormat = (): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat(dateLocale, {
    timeZone: 'Europe/Berlin',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

function formatStart(a: TabAppointment): string {
  const text = `${dateFormat().format(new Date(a.start))} Uhr`;
  return a.durationMinutes ? `${text} (${tabTexts.minutes(a.durationMinutes)})` : text;
}

function renderAppointments(list: TabAppointment[]): void {
  const rows = byId('appointment-rows');
  rows.replaceChildren();
  const sorted = [...list].sort((x, y) => x.start.localeCompare(y.start));
  for (const a of sorted) {
    const tr = document.createElement('tr');
    const status = tabTexts.status[a.status] ?? a.status;
    for (const text of [a.reference, formatStart(a), a.type, status]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    tr.classList.add(`status-${a.status}`);
    rows.append(tr);
  }
  byId('appointments').hidden = list.length === 0;
  setStatus(list.length === 0 ? tabTexts.none : tabTexts.count(list.length));
}

/** Buttons open the 1:1 chat with the bot, pre-filled with the command it understands. */
function setUpActions(): void {
  const botId = document.querySelector<HTMLMetaElement>('meta[name="kdlz-bot-id"]')?.content ?? '';
  if (!/^[0-9a-fA-F-]{36}$/.test(botId)) return;
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-intent]')) {
    const command = commandsFile.commands.find((c) => c.intent === button.dataset.intent);
    if (!command) continue;
    button.textContent = command.title;
    button.addEventListener('click', () => {
      const link = `https://teams.microsoft.com/l/chat/0/0?users=28:${botId}&message=${encodeURIComponent(command.title)}`;
      app.openLink(link).catch(() => setStatus(tabTexts.actionFailed));
    });
  }
  byId('actions').hidden = false;
}

async function loadAppointments(): Promise<void> {
  let token: string;
  try {
    token = await authentication.getAuthToken();
  } catch {
    setStatus(tabTexts.ssoUnavailable);
    return;
  }
  let response: Response;
  try {
    response = await fetch('api/tab/appointments', { headers: { Authorization: `Bearer ${token}` } });
  } catch {
    setStatus(tabTexts.serverError);
    return;
  }
  if (response.status === 401) return setStatus(tabTexts.notAuthorized);
  if (!response.ok) return setStatus(tabTexts.serverError);
  const body = (await response.json()) as TabAppointmentsResponse;
  renderAppointments(body.appointments);
}

async function start(): Promise<void> {
  try {
    await withTimeout(app.initialize(), INIT_TIMEOUT_MS);
  } catch {
    setStatus(tabTexts.outsideTeams);
    return;
  }
  const context = await app.getContext();
  applyTheme(context.app.theme);
  if (/^de(-|$)/i.test(context.app.locale ?? '')) dateLocale = context.app.locale;
  app.registerOnThemeChangeHandler(applyTheme);
  const user = context.user?.displayName || context.user?.userPrincipalName;
  if (user) {
    byId('user').textContent = tabTexts.signedInAs(user);
    byId('user').hidden = false;
  }
  setStatus(tabTexts.loading);
  setUpActions();
  await loadAppointments();
}

document.addEventListener('DOMContentLoaded', () => {
  start().catch(() => setStatus(tabTexts.serverError));
});
