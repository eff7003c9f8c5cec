import type { ReminderLog, ReminderLogEntry } from '../data/store/reminderLog.js';
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
export async function sendOnce(
  deps: { log: ReminderLog; mailer: Mailer; now: () => Date },
  m: OnceMessage,
): Promise<OnceResult> {
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
