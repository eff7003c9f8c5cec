import { randomUUID } from 'node:crypto';
import { addDays, londonDate } from '../../checks/londonDates.js';
import type { Bulletin } from '../../data/schemas/returnSchemas.js';
import type { Store } from '../../data/store/store.js';
import { bulletinEmail } from '../../jobs/returnEmails.js';
import { sendOnce } from '../../jobs/sendOnce.js';
import type { Config } from '../config.js';
import { type FieldErrors, InputError } from '../errors.js';
import type { SchoolService } from '../services/schoolService.js';

type MailPath = Parameters<typeof sendOnce>[0];

export const SUBJECT_MAX = 200;
export const BODY_MAX = 5_000;
/** Failed sends of bulletins this recent are retried by the daily run; older ones are left as failed. */
const RETRY_DAYS = 14;
const ID_SHAPE = /^[0-9a-f-]{36}$/;

export interface BulletinInput {
  subject: string;
  body: string;
  /** The compose form's own id: a form sent twice (double click, back button) records one bulletin. */
  key?: string;
}

/** Prevent bulletins: one message to each current Prevent lead, kept with who it went to (SPEC §13). */
export function createBulletinService(
  store: Store,
  config: Config,
  schools: SchoolService,
  mailPath: () => MailPath,
) {
  const today = () => londonDate(store.now());

  /** Current leads of schools in scope with an email address, each address once. */
  const recipients = () => [
    ...new Set(
      schools
        .distribution(today())
        .filter((r) => r.email)
        .map((r) => r.email!.toLowerCase()),
    ),
  ];

  function validate(input: BulletinInput): FieldErrors {
    const errors: FieldErrors = {};
    if (!input.subject) errors.subject = { text: 'Enter a subject', href: '#subject' };
    else if (input.subject.length > SUBJECT_MAX)
      errors.subject = { text: `Subject must be ${SUBJECT_MAX} characters or fewer`, href: '#subject' };
    else if (/[\r\n]/.test(input.subject))
      errors.subject = { text: 'Subject must be one line', href: '#subject' };
    if (!input.body) errors.body = { text: 'Enter the message', href: '#body' };
    else if (input.body.length > BODY_MAX)
      errors.body = { text: 'Message must be 5,000 characters or fewer', href: '#body' };
    return errors;
  }

  async function deliver(b: Bulletin, to: string) {
    return sendOnce(mailPath(), {
      kind: 'bulletin',
      itemKey: `bulletin:${b.id}`,
      stage: 'bulletin',
      title: b.subject,
      asOf: today(),
      email: bulletinEmail({
        to,
        subject: b.subject,
        body: b.body,
        bulletinId: b.id,
        baseUrl: config.baseUrl,
      }),
    });
  }

  const sentTo = (b: Bulletin) => {
    const log = mailPath().log;
    return b.recipients.filter((to) => log.has(`bulletin:${b.id}`, 'bulletin', to)).length;
  };

  return {
    recipients,
    validate(input: BulletinInput) {
      const errors = validate(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
    },

    /** Records the bulletin and sends it, one message per lead; a failed send is retried by the daily run. */
    async send(actor: string, input: BulletinInput) {
      const errors = validate(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      const key = input.key && ID_SHAPE.test(input.key) ? input.key : randomUUID();
      const already = store.get('bulletins', key);
      if (already) return { bulletin: already, sent: sentTo(already), failed: 0, repeated: true };
      const to = recipients();
      const { bulletin, repeated } = await store.transact(actor, (tx) => {
        // Sent twice at once (or through two instances): the other may have been recorded since the check above.
        const made = store.get('bulletins', key);
        if (made) return { bulletin: made, repeated: true };
        const inserted = tx.insert('bulletins', {
          id: key,
          subject: input.subject,
          body: input.body,
          sentBy: actor,
          sentAt: store.now().toISOString(),
          recipients: to,
        });
        return { bulletin: inserted, repeated: false };
      });
      if (repeated) return { bulletin, sent: sentTo(bulletin), failed: 0, repeated: true };
      let sent = 0;
      let failed = 0;
      for (const address of to) {
        const r = await deliver(bulletin, address);
        if (r.status === 'failed') failed++;
        else sent++;
      }
      return { bulletin, sent, failed, repeated: false };
    },

    /** Newest first, with how many each went to and how many the mail server has taken so far. */
    history() {
      return [...store.list('bulletins')]
        .sort((a, b) => b.sentAt.localeCompare(a.sentAt))
        .map((b) => ({ ...b, recipientCount: b.recipients.length, sentCount: sentTo(b) }));
    },

    get: (id: string) => store.get('bulletins', id),

    /** With the daily reminder run: bulletins of the last fortnight sent again to whoever did not get them. */
    async retryFailed(asOf = today()): Promise<{ sent: number; failed: number }> {
      const log = mailPath().log;
      const from = addDays(asOf, -RETRY_DAYS);
      let sent = 0;
      let failed = 0;
      for (const b of store.list('bulletins')) {
        if (londonDate(b.sentAt) < from) continue;
        for (const to of b.recipients) {
          if (log.has(`bulletin:${b.id}`, 'bulletin', to)) continue;
          const r = await deliver(b, to);
          // A permanent refusal waits for the next daily run; others ask the scheduler to retry sooner.
          if (r.status === 'failed') failed += r.permanent ? 0 : 1;
          else sent++;
        }
      }
      return { sent, failed };
    },
  };
}

export type BulletinService = ReturnType<typeof createBulletinService>;
