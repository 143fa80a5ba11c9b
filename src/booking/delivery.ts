import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { buildIcs, type IcsEvent } from './ics';
import { bookingMailTexts } from './texts';
import type { BookingEvent } from './types';

/** Delivers one event to one receiver; throws to have it retried later. */
export type Deliverer = (event: BookingEvent) => Promise<void>;

/** The invitation for an event: CANCEL for a cancellation, REQUEST otherwise. */
export function eventIcs(event: BookingEvent, organizer: { name: string; email: string }): string {
  const b = event.booking;
  const ics: IcsEvent = {
    uid: `${b.id}@kdlz-bot`,
    sequence: b.version,
    startMs: Date.parse(b.start),
    endMs: Date.parse(b.end),
    summary: bookingMailTexts.icsSummary(b),
    description: bookingMailTexts.icsDescription(b),
    location: b.location,
    organizer,
    attendees: [
      ...(b.contact ? [{ name: b.contact.name, email: b.contact.email }] : []),
      { name: b.advisor.name, email: b.advisor.email },
    ],
    status: event.type === 'booking.cancelled' ? 'CANCELLED' : 'CONFIRMED',
    stampMs: Date.parse(event.occurredAt),
  };
  return buildIcs([ics], event.type === 'booking.cancelled' ? 'CANCEL' : 'REQUEST');
}

// ---- Webhook ---------------------------------------------------------------------------------

export const SIGNATURE_HEADER = 'x-kdlz-signature';
export const TIMESTAMP_HEADER = 'x-kdlz-timestamp';
export const EVENT_ID_HEADER = 'x-kdlz-event-id';

/** HMAC-SHA256 over "<timestamp>.<body>", hex, as "sha256=<hex>". Receivers recompute and compare. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function createWebhookDeliverer(opts: { url: string; secret: string; timeoutMs?: number; now?: () => number }): Deliverer {
  return async (event) => {
    const body = JSON.stringify(event);
    const timestamp = String(Math.floor((opts.now ?? Date.now)() / 1000));
    const res = await fetch(opts.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [EVENT_ID_HEADER]: event.id,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signWebhook(opts.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    // Drain the body so the connection can be reused.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new Error(`Webhook antwortete ${res.status}`);
  };
}

// ---- E-mail ----------------------------------------------------------------------------------

export interface EmailOptions {
  /** smtp://… ; without it every message is written as .eml into outboxDir. */
  smtpUrl?: string;
  from: string;
  organizer: { name: string; email: string };
  outboxDir: string;
}

/** The messages for one event: one to the contact person (if still known), one to the advisor. */
export function eventMails(event: BookingEvent, opts: Pick<EmailOptions, 'from' | 'organizer'>): nodemailer.SendMailOptions[] {
  const ics = eventIcs(event, opts.organizer);
  const method = event.type === 'booking.cancelled' ? 'CANCEL' : 'REQUEST';
  const attachment = { filename: `${event.booking.reference}.ics`, content: ics, contentType: `text/calendar; charset=utf-8; method=${method}` };
  const base = (who: string): Partial<nodemailer.SendMailOptions> => ({
    from: opts.from,
    messageId: `<${event.id}.${who}@kdlz-bot>`,
    headers: { 'X-KDLZ-Event-Id': event.id },
    attachments: [attachment],
  });
  const mails: nodemailer.SendMailOptions[] = [];
  const c = event.booking.contact;
  if (c) mails.push({ ...base('contact'), to: { name: c.name, address: c.email }, subject: bookingMailTexts.contactSubject(event), text: bookingMailTexts.contactBody(event) });
  mails.push({
    ...base('advisor'),
    to: { name: event.booking.advisor.name, address: event.booking.advisor.email },
    subject: bookingMailTexts.advisorSubject(event),
    text: bookingMailTexts.advisorBody(event),
  });
  return mails;
}

/**
 * Sends via SMTP when configured; otherwise writes each message as <event>-<who>.eml so nothing
 * is lost (same name on a retry: no duplicates). Written to a temp name, then renamed.
 */
export function createEmailDeliverer(opts: EmailOptions): Deliverer {
  const smtp = opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : undefined;
  const file = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return async (event) => {
    for (const mail of eventMails(event, opts)) {
      if (smtp) {
        await smtp.sendMail(mail);
        continue;
      }
      const info = (await file.sendMail(mail)) as unknown as { message: Buffer };
      mkdirSync(opts.outboxDir, { recursive: true });
      const who = String(mail.messageId).includes('.contact@') ? 'kontakt' : 'beratung';
      const target = path.join(opts.outboxDir, `${event.booking.reference}-${event.id}-${who}.eml`);
      writeFileSync(target + '.tmp', info.message);
      renameSync(target + '.tmp', target);
    }
  };
}

// ---- Teams staff channel -----------------------------------------------------------------------

/** The Adaptive Card (1.5) posted to the KDLZ staff channel for an event. */
export function staffCard(event: BookingEvent): object {
  const b = event.booking;
  const c = b.contact;
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: bookingMailTexts.kindTitle[event.type], weight: 'Bolder', size: 'Medium', wrap: true },
      {
        type: 'FactSet',
        facts: [
          { title: 'Buchungsnummer', value: b.reference },
          { title: 'Termin', value: b.appointmentType.name },
          { title: 'Wann', value: b.startText },
          { title: 'Wo', value: b.location },
          { title: 'Kommune', value: `${b.municipality.name} (AGS ${b.municipality.ags})` },
          { title: 'Beratung', value: b.advisor.name },
          { title: 'Ansprechperson', value: c ? `${c.name}, ${c.role}` : '(gelöscht)' },
          ...(c ? [{ title: 'Kontakt', value: `${c.email}, ${c.phone}` }] : []),
        ],
      },
      { type: 'TextBlock', text: `Ereignis-ID ${event.id}`, size: 'Small', isSubtle: true, wrap: true },
    ],
  };
}

/** Wraps the composition root's `notifyStaffChannel(card)` as a deliverer. */
export function createTeamsDeliverer(notifyStaffChannel: (card: object) => Promise<void>): Deliverer {
  return (event) => notifyStaffChannel(staffCard(event));
}
