import { createHash } from 'node:crypto';
import type { ReminderLog } from '../data/store/reminderLog.js';
import type { Mailer } from './mailer.js';
import type { RenderedEmail } from './reminderEmail.js';

/** The sent log's stage for a once-only email: the key alone says which email it was. */
export const ONCE_STAGE = 'once';

export interface SendOnceDeps {
  log: ReminderLog;
  mailer: Mailer;
  now: () => Date;
}

/** A Message-ID that is the same for the same key and recipient, so a resend after a crash is recognisable. */
export function onceMessageId(key: string, to: string, baseUrl: string): string {
  let host = 'due-regard.invalid';
  try {
    host = new URL(baseUrl).hostname || host;
  } catch {
    // BASE_URL is validated at start-up; keep the fallback for odd values.
  }
  const hash = createHash('sha256').update(`${key}\n${to.toLowerCase()}`).digest('hex').slice(0, 40);
  return `<${hash}@${host}>`;
}

/**
 * Sends `email` unless the sent log says the email with this key already went to this address, and
 * records it as sent only once the mail server accepted it (the reminders' rule: a crash in between
 * sends it again, never loses it). Throws what the mailer threw; the caller retries.
 */
export async function sendOnce(
  deps: SendOnceDeps,
  key: string,
  email: RenderedEmail,
): Promise<'sent' | 'already-sent'> {
  if (deps.log.has(key, ONCE_STAGE, email.to)) return 'already-sent';
  const delivery = await deps.mailer.send(email);
  await deps.log.append({
    at: deps.now().toISOString(),
    status: 'sent',
    kind: 'notification',
    to: email.to,
    subject: email.subject,
    messageId: email.messageId,
    asOf: deps.now().toISOString().slice(0, 10),
    reminders: [{ itemKey: key, stage: ONCE_STAGE, title: email.subject }],
    via: delivery.via,
    response: delivery.response,
    attempts: 1,
  });
  return 'sent';
}

/**
 * Records that the email with this key was not accepted this time (the reminder log page shows it as
 * failed until a later attempt sends it). Never marks it sent.
 */
export async function recordUnsent(
  deps: SendOnceDeps,
  key: string,
  email: RenderedEmail,
  error: string,
  attempts: number,
): Promise<void> {
  await deps.log.append({
    at: deps.now().toISOString(),
    status: 'failed',
    kind: 'notification',
    to: email.to,
    subject: email.subject,
    messageId: email.messageId,
    asOf: deps.now().toISOString().slice(0, 10),
    reminders: [{ itemKey: key, stage: ONCE_STAGE, title: email.subject }],
    via: deps.mailer.via,
    response: error,
    attempts,
  });
}
