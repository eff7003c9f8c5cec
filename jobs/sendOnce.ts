import { createHash } from 'node:crypto';
import type { ReminderLogEntry, SentLog } from '../data/store/reminderLog.js';
import { isPermanentFailure, type Mailer } from './mailer.js';
import type { RenderedEmail } from './reminderEmail.js';

/** One email that must go to its address once: (itemKey, stage, to) is its identity in the sent log. */
export interface OnceMessage {
  kind: ReminderLogEntry['kind'];
  itemKey: string;
  stage: string;
  /** What the email is about, for the reminder log page. */
  title: string;
  email: RenderedEmail;
  asOf: string;
}

export type OnceResult =
  | { status: 'sent' | 'already-sent' }
  | { status: 'failed'; error: string; permanent: boolean };

/**
 * The one mail path for single messages (returns, their reminders and receipts, bulletins): skipped when
 * the sent log already holds it, recorded as sent only after the mail server accepted it, and as failed
 * otherwise, never thrown, so one refused address does not stop a batch. Whoever calls it again later
 * (the daily run) retries what failed; the log keeps it to once.
 */
export async function sendOnce(deps: SendOnceDeps, m: OnceMessage): Promise<OnceResult> {
  const claimed = deps.log.whileSending
    ? await deps.log
        .whileSending(m.itemKey, m.stage, m.email.to, () => sendOnceUnlessLogged(deps, m))
        .catch((err: Error) => ({ status: 'failed' as const, error: err.message, permanent: false }))
    : await sendOnceUnlessLogged(deps, m);
  return claimed ?? { status: 'already-sent' };
}

async function sendOnceUnlessLogged(deps: SendOnceDeps, m: OnceMessage): Promise<OnceResult> {
  // Shared with other instances on PostgreSQL: read what they sent meanwhile before deciding. Unreadable
  // (the database unreachable): not sent this time, nothing recorded; a later run tries again.
  try {
    await deps.log.refresh();
  } catch (err) {
    return { status: 'failed', error: (err as Error).message ?? String(err), permanent: false };
  }
  if (deps.log.has(m.itemKey, m.stage, m.email.to)) return { status: 'already-sent' };
  const entry = {
    kind: m.kind,
    to: m.email.to,
    subject: m.email.subject,
    messageId: m.email.messageId,
    asOf: m.asOf,
    reminders: [{ itemKey: m.itemKey, stage: m.stage, title: m.title }],
    attempts: 1,
  };
  try {
    const delivery = await deps.mailer.send(m.email);
    await deps.log.append({
      at: deps.now().toISOString(),
      status: 'sent',
      ...entry,
      via: delivery.via,
      response: delivery.response,
    });
    return { status: 'sent' };
  } catch (err) {
    const error = (err as Error).message ?? String(err);
    await deps.log.append({
      at: deps.now().toISOString(),
      status: 'failed',
      ...entry,
      via: deps.mailer.via,
      response: error,
    });
    return { status: 'failed', error, permanent: isPermanentFailure(err) };
  }
}

// Notifications (jobs/notificationJob.ts): one key per event; the caller retries what throws.

/** The sent log's stage for a once-only email: the key alone says which email it was. */
export const ONCE_STAGE = 'once';

export interface SendOnceDeps {
  log: SentLog;
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
export async function sendNotificationOnce(
  deps: SendOnceDeps,
  key: string,
  email: RenderedEmail,
): Promise<'sent' | 'already-sent'> {
  // Instances sharing a log: one sends it at a time (another sending it now counts as sent; should that
  // send fail, the retry job sends it later), and the log is read again under that claim.
  const claimed = deps.log.whileSending
    ? await deps.log.whileSending(key, ONCE_STAGE, email.to, () => sendUnlessLogged(deps, key, email))
    : await sendUnlessLogged(deps, key, email);
  return claimed ?? 'already-sent';
}

async function sendUnlessLogged(
  deps: SendOnceDeps,
  key: string,
  email: RenderedEmail,
): Promise<'sent' | 'already-sent'> {
  await deps.log.refresh();
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
