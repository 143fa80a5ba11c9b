/**
 * `npm run chat`: talk to a running KDLZ-Bot from the terminal, for people without Teams.
 * It gets a token from the server's token service (like the portal widget does) and speaks
 * Direct Line through the official client library, over the WebSocket stream.
 */
import readline from 'node:readline';
import { ConnectionStatus, DirectLine } from 'botframework-directlinejs';
import { WebSocket } from 'ws';
import XMLHttpRequest from 'xhr2';
import { ConfigError, loadChatConfig } from '../src/config';
import { choiceLine, interpret, renderActivity, type Choice } from './chat-render';

// botframework-directlinejs is written for browsers: rxjs' ajax needs XMLHttpRequest and the
// stream needs a global WebSocket, neither of which Node 20 has (both are looked up on use).
Object.assign(globalThis, { XMLHttpRequest, WebSocket });

const QUIT = new Set(['/ende', '/exit', '/quit', 'exit', 'quit']);

async function fetchToken(url: string): Promise<{ token: string; domain: string; userId: string }> {
  let res: Response;
  try {
    res = await fetch(`${url}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  } catch {
    throw new Error(`Der KDLZ-Bot unter ${url} ist nicht erreichbar. Läuft der Server (npm start)? Eine andere Adresse setzen Sie mit KDLZ_URL.`);
  }
  const body = (await res.json().catch(() => ({}))) as { token?: string; domain?: string; userId?: string; error?: string };
  if (!res.ok || !body.token || !body.domain) {
    throw new Error(`Der Token-Dienst unter ${url} antwortet mit ${res.status}${body.error ? `: ${body.error}` : ''}.`);
  }
  return { token: body.token, domain: body.domain, userId: body.userId ?? '' };
}

async function main(): Promise<void> {
  const { url } = loadChatConfig();
  const { token, domain, userId } = await fetchToken(url);
  const client = new DirectLine({ token, domain, webSocket: true });

  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: 'Sie: ' });
  let choices: Choice[] = [];
  const print = (lines: string[]) => {
    // Bot messages arrive while the user may be typing: clear the prompt line, print, re-prompt.
    if (process.stdout.isTTY) {
      readline.clearLine(process.stdout, 0);
      readline.cursorTo(process.stdout, 0);
    }
    for (const l of lines) process.stdout.write(l + '\n');
    rl.prompt(true);
  };

  let lastSentAt = 0;
  let lastReplyAt = 0;
  print([`Verbunden mit ${url}. Schreiben Sie Ihre Frage; eine Zahl wählt eine angebotene Option. Beenden mit /ende.`]);

  client.connectionStatus$.subscribe((status) => {
    if (status === ConnectionStatus.FailedToConnect) print(['Verbindung fehlgeschlagen. Bitte später erneut versuchen.']);
    if (status === ConnectionStatus.ExpiredToken) print(['Die Sitzung ist abgelaufen. Bitte `npm run chat` neu starten.']);
  });
  client.activity$.subscribe(
    (activity) => {
      if (activity.from?.id === userId || activity.from?.role === 'user') return;
      lastReplyAt = Date.now();
      const rendered = renderActivity(activity);
      if (!rendered.lines.length && !rendered.choices.length) return;
      choices = rendered.choices;
      const out = rendered.lines.map((l, i) => (i === 0 ? `KDLZ-Bot: ${l}` : `          ${l}`));
      if (choices.length) out.push(`          ${choiceLine(choices)}`);
      print(out);
    },
    () => undefined,
  );

  rl.on('line', (line) => {
    if (QUIT.has(line.trim().toLowerCase())) return rl.close();
    const send = interpret(line, choices);
    if (!send) return rl.prompt();
    lastSentAt = Date.now();
    client.postActivity({ ...send, from: { id: userId }, locale: 'de-DE' } as never).subscribe({
      error: () => print(['Die Nachricht konnte nicht gesendet werden. Bitte erneut versuchen.']),
    });
  });
  // Input piped from a file or another program ends at once: wait for the answer to the last
  // question first (at most 15 s), until no further message has come for a moment.
  const goodbye = async (): Promise<void> => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (lastReplyAt < lastSentAt || Date.now() - lastReplyAt < 700)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    process.stdout.write('\nAuf Wiedersehen!\n');
    client.end();
    process.exit(0);
  };
  rl.on('close', () => void goodbye());
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
