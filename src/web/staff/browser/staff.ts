/**
 * The staff page's script: sign-in (Entra ID with PKCE, or the staff token kept in
 * sessionStorage), the open handoffs with their transcript and actions, and the charts with
 * their data tables. Everything is written with textContent; nothing from the server becomes HTML.
 */
import { COLORS, drawChart } from './charts';
import { authorizeUrl, challengeFor, type OidcConfig, randomVerifier, redeemCode } from './pkce';

const TOKEN_KEY = 'kdlz-staff-token';
const AGENT_KEY = 'kdlz-staff-agent';
const PKCE_KEY = 'kdlz-staff-pkce';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const statusText: Record<string, string> = { waiting: 'wartet', active: 'im Gespräch', callback: 'Rückruf offen', closed: 'geschlossen' };
const channelText: Record<string, string> = { msteams: 'Teams', directline: 'Web-Chat' };
const roleText: Record<string, string> = { user: 'Person', bot: 'Bot', staff: 'Team' };
const fmt = new Intl.DateTimeFormat('de-DE', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Berlin' });
const dayFmt = (d: string) => `${d.slice(8, 10)}.${d.slice(5, 7)}.`;

interface Handoff {
  id: string;
  status: string;
  kommune: string | null;
  topic: string;
  channel: string;
  contact: string | null;
  createdAt: string;
  takenBy: string | null;
  callbackFrom: string | null;
  transcript: { from: string; text: string; timestamp: string; agentName?: string }[];
}

let selected: string | undefined;

function say(text: string): void {
  $('status').textContent = text;
}

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${token ?? ''}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const json = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (res.status === 401) {
    signOut('Die Anmeldung ist abgelaufen oder ungültig. Bitte melden Sie sich erneut an.');
    throw new Error('401');
  }
  if (!res.ok) throw new Error(json.error ?? `Fehler ${res.status}`);
  return json;
}

function cell(row: HTMLTableRowElement, text: string, header = false, cls?: string): HTMLTableCellElement {
  const c = document.createElement(header ? 'th' : 'td');
  if (header) c.setAttribute('scope', 'row');
  if (cls) c.className = cls;
  c.textContent = text;
  row.appendChild(c);
  return c;
}

function fillTable(table: HTMLTableElement, caption: string, head: string[], rows: (string | number)[][]): void {
  table.replaceChildren();
  table.createCaption().textContent = caption;
  const hr = table.createTHead().insertRow();
  for (const h of head) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    hr.appendChild(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    r.forEach((v, i) => cell(tr, String(v), i === 0, typeof v === 'number' ? 'num' : undefined));
  }
}

async function loadOpen(): Promise<void> {
  const list = await api<Handoff[]>('/api/handoffs?status=waiting,active,callback');
  const rows = $('open-rows');
  rows.replaceChildren();
  $('open-empty').hidden = list.length > 0;
  $('open-table').hidden = list.length === 0;
  for (const h of list) {
    const tr = document.createElement('tr');
    cell(tr, fmt.format(new Date(h.createdAt)), true);
    cell(tr, statusText[h.status] ?? h.status);
    cell(tr, h.kommune ?? '–');
    cell(tr, h.topic);
    cell(tr, channelText[h.channel] ?? h.channel);
    cell(tr, h.takenBy ?? '–');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = 'Details';
    b.setAttribute('aria-label', `Details: ${h.topic}`);
    b.addEventListener('click', () => void showDetail(h.id, true));
    cell(tr, '').appendChild(b);
    rows.appendChild(tr);
  }
}

async function showDetail(id: string, focus: boolean): Promise<void> {
  const h = await api<Handoff>(`/api/handoffs/${encodeURIComponent(id)}`);
  selected = id;
  $('detail').hidden = false;
  $('detail-heading').textContent = `Anfrage: ${h.topic}`;
  const dl = $('detail-facts');
  dl.replaceChildren();
  const facts: [string, string][] = [
    ['Status', (statusText[h.status] ?? h.status) + (h.takenBy ? ` (${h.takenBy})` : '')],
    ['Kommune', h.kommune ?? '–'],
    ['Kanal', channelText[h.channel] ?? h.channel],
    ['Eingang', fmt.format(new Date(h.createdAt))],
    ...(h.callbackFrom ? [['Rückruf ab', fmt.format(new Date(h.callbackFrom))] as [string, string]] : []),
    ['Kontakt', h.contact ?? 'nicht angegeben'],
  ];
  for (const [k, v] of facts) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  const ol = $('detail-transcript');
  ol.replaceChildren();
  for (const t of h.transcript) {
    const li = document.createElement('li');
    li.textContent = `${roleText[t.from] ?? t.from}${t.agentName ? ` (${t.agentName})` : ''}, ${fmt.format(new Date(t.timestamp))}: ${t.text}`;
    ol.appendChild(li);
  }
  const live = h.status === 'waiting' || h.status === 'active';
  ($('send') as HTMLButtonElement).disabled = !live;
  ($('take') as HTMLButtonElement).disabled = !!h.takenBy || h.status === 'closed';
  ($('close') as HTMLButtonElement).disabled = !live;
  ($('callback-done') as HTMLButtonElement).disabled = h.status !== 'callback';
  if (focus) $('detail-heading').focus();
}

async function act(path: string, body: object, done: string): Promise<void> {
  if (!selected) return;
  const agent = ($('agent') as HTMLInputElement).value.trim();
  if (!agent) {
    say('Bitte geben Sie Ihren Namen an.');
    $('agent').focus();
    return;
  }
  sessionStorage.setItem(AGENT_KEY, agent);
  try {
    await api(`/api/handoffs/${encodeURIComponent(selected)}/${path}`, { method: 'POST', body: { agentName: agent, ...body } });
    say(done);
    await Promise.all([loadOpen(), showDetail(selected, false)]);
  } catch (e) {
    if ((e as Error).message !== '401') say(`Nicht möglich: ${(e as Error).message}`);
  }
}

async function loadStats(): Promise<void> {
  const s = await api<{
    questionsPerDay: { day: string; total: number; answer: number; clarify: number; decline: number; emergency: number }[];
    bookingsPerWeek: { week: string; count: number }[];
    feedbackPerDay: { day: string; up: number; down: number }[];
    topUnanswered: { example: string; count: number; declined: number; downVoted: number }[];
  }>('/api/staff/stats');
  const q = s.questionsPerDay;
  const sum = (f: (x: (typeof q)[number]) => number) => q.reduce((a, x) => a + f(x), 0);
  const total = sum((x) => x.total);
  const pct = (n: number) => (total ? `${Math.round((100 * n) / total)} %` : '–');
  drawChart(
    $('chart-questions') as HTMLCanvasElement,
    'bar',
    q.map((x) => dayFmt(x.day)),
    [
      { label: 'beantwortet', data: q.map((x) => x.answer), color: COLORS.answer },
      { label: 'rückgefragt', data: q.map((x) => x.clarify), color: COLORS.clarify },
      { label: 'abgelehnt', data: q.map((x) => x.decline), color: COLORS.decline },
      { label: 'Notfall', data: q.map((x) => x.emergency), color: COLORS.emergency },
    ],
    `Fragen pro Tag, 30 Tage: ${total} Fragen, davon ${pct(sum((x) => x.answer))} beantwortet, ${pct(sum((x) => x.clarify))} rückgefragt, ${pct(sum((x) => x.decline))} abgelehnt. Die Tabelle darunter enthält die Zahlen.`,
    true,
  );
  fillTable($('table-questions') as HTMLTableElement, 'Fragen pro Tag', ['Tag', 'gesamt', 'beantwortet', 'rückgefragt', 'abgelehnt', 'Notfall'], q.map((x) => [x.day, x.total, x.answer, x.clarify, x.decline, x.emergency]));

  const b = s.bookingsPerWeek;
  drawChart($('chart-bookings') as HTMLCanvasElement, 'bar', b.map((x) => x.week), [{ label: 'Buchungen', data: b.map((x) => x.count), color: COLORS.answer }], `Buchungen pro Woche: ${b.reduce((a, x) => a + x.count, 0)} in ${b.length} Wochen. Die Tabelle darunter enthält die Zahlen.`);
  fillTable($('table-bookings') as HTMLTableElement, 'Buchungen pro Kalenderwoche', ['Woche', 'Buchungen'], b.map((x) => [x.week, x.count]));

  const f = s.feedbackPerDay;
  const up = f.reduce((a, x) => a + x.up, 0);
  const down = f.reduce((a, x) => a + x.down, 0);
  drawChart(
    $('chart-feedback') as HTMLCanvasElement,
    'line',
    f.map((x) => dayFmt(x.day)),
    [
      { label: 'hilfreich (👍)', data: f.map((x) => x.up), color: COLORS.up },
      { label: 'nicht hilfreich (👎)', data: f.map((x) => x.down), color: COLORS.down, dash: [6, 4] },
    ],
    `Rückmeldungen, 30 Tage: ${up} hilfreich, ${down} nicht hilfreich. Die Tabelle darunter enthält die Zahlen.`,
  );
  fillTable($('table-feedback') as HTMLTableElement, 'Rückmeldungen pro Tag', ['Tag', 'hilfreich (👍)', 'nicht hilfreich (👎)'], f.map((x) => [x.day, x.up, x.down]));

  const u = s.topUnanswered;
  $('unanswered-empty').hidden = u.length > 0;
  $('table-unanswered').hidden = u.length === 0;
  fillTable($('table-unanswered') as HTMLTableElement, 'Gruppen ähnlicher Fragen, häufigste zuerst', ['Beispielfrage', 'Anzahl', 'abgelehnt', 'mit 👎 bewertet'], u.map((x) => [x.example, x.count, x.declined, x.downVoted]));
}

async function showContent(): Promise<void> {
  $('signin').hidden = true;
  $('content').hidden = false;
  $('signout').hidden = false;
  ($('agent') as HTMLInputElement).value = sessionStorage.getItem(AGENT_KEY) ?? '';
  try {
    await Promise.all([loadOpen(), loadStats()]);
    say('Daten geladen.');
  } catch (e) {
    if ((e as Error).message !== '401') say(`Die Daten konnten nicht geladen werden: ${(e as Error).message}`);
  }
}

function signOut(message: string): void {
  sessionStorage.removeItem(TOKEN_KEY);
  $('content').hidden = true;
  $('signout').hidden = true;
  $('signin').hidden = false;
  say(message);
}

async function start(): Promise<void> {
  const cfg = (await (await fetch('/api/staff/config')).json()) as { oidc: OidcConfig | null };
  const redirectUri = `${location.origin}/staff`;
  const params = new URLSearchParams(location.search);
  if (cfg.oidc && params.get('code')) {
    const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? '{}') as { verifier?: string; state?: string };
    history.replaceState(null, '', '/staff');
    sessionStorage.removeItem(PKCE_KEY);
    if (!saved.verifier || saved.state !== params.get('state')) say('Die Anmeldung passt nicht zu dieser Sitzung. Bitte erneut anmelden.');
    else {
      try {
        sessionStorage.setItem(TOKEN_KEY, await redeemCode(cfg.oidc, redirectUri, params.get('code')!, saved.verifier));
      } catch {
        say('Die Anmeldung bei Microsoft ist fehlgeschlagen. Bitte erneut versuchen.');
      }
    }
  }
  $('signout').addEventListener('click', () => signOut('Sie sind abgemeldet.'));
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('token') as HTMLInputElement;
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    input.value = '';
    void showContent();
  });
  $('oidc').addEventListener('click', () => {
    const verifier = randomVerifier();
    const state = randomVerifier();
    sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
    void challengeFor(verifier).then((c) => location.assign(authorizeUrl(cfg.oidc!, redirectUri, c, state)));
  });
  $('reply-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = ($('reply') as HTMLTextAreaElement).value.trim();
    if (!text) {
      say('Bitte schreiben Sie eine Nachricht.');
      $('reply').focus();
      return;
    }
    void act('messages', { text }, 'Nachricht gesendet.').then(() => (($('reply') as HTMLTextAreaElement).value = ''));
  });
  $('take').addEventListener('click', () => void act('take', {}, 'Anfrage übernommen.'));
  $('close').addEventListener('click', () => void act('close', {}, 'Gespräch beendet.'));
  $('callback-done').addEventListener('click', () => void act('callback-done', {}, 'Rückruf als erledigt markiert.'));
  $('detail-hide').addEventListener('click', () => {
    $('detail').hidden = true;
    selected = undefined;
    $('open-heading').focus();
  });
  $('oidc').hidden = !cfg.oidc;
  $('token-form').hidden = !!cfg.oidc;
  if (sessionStorage.getItem(TOKEN_KEY)) await showContent();
  else $('signin').hidden = false;
  // New requests show up without reloading (paused while the tab is hidden).
  setInterval(() => {
    if (!document.hidden && !$('content').hidden) void loadOpen().catch(() => undefined);
  }, 15_000);
}

void start();
