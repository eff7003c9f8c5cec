import { createHash } from 'node:crypto';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { writeDurably } from '../data/store/durableJsonFile.js';
import { ownerOnlyFolder } from '../data/store/ownerOnly.js';
import type { RenderedEmail } from './reminderEmail.js';

export interface Delivery {
  /** "smtp" or "outbox". */
  via: string;
  /** The SMTP server's reply, or the .eml file written. */
  response: string;
}

/** Sends one email; resolves only once the SMTP server accepted it (or the .eml file is on disk). */
export interface Mailer {
  readonly via: 'smtp' | 'outbox';
  send(email: RenderedEmail): Promise<Delivery>;
  close(): void;
}

/** An SMTP error that retrying will not fix (5xx: no such mailbox, relaying refused…). */
export function isPermanentFailure(err: unknown): boolean {
  const code = (err as { responseCode?: number } | undefined)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

const HEADERS = {
  // RFC 3834: automatic mail; out-of-office replies should not answer it.
  'Auto-Submitted': 'auto-generated',
  'X-Auto-Response-Suppress': 'All',
};

/**
 * nodemailer over SMTP_URL; without it, each email is written as an .eml file under the outbox folder
 * (var/outbox/ beside the default database). Timeouts are short so a run's retries stay under a minute.
 */
export function createMailer(opts: { smtpUrl: string | null; outboxDir: string; from: string }): Mailer {
  const message = (email: RenderedEmail) => ({
    from: opts.from,
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: email.messageId,
    headers: HEADERS,
  });

  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport({
      url: opts.smtpUrl,
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 10_000,
    } as SMTPTransport.Options);
    return {
      via: 'smtp',
      async send(email) {
        const info = await transport.sendMail(message(email));
        const accepted = (info.accepted ?? []).map((a: string | { address: string }) =>
          (typeof a === 'string' ? a : a.address).toLowerCase(),
        );
        if (!accepted.includes(email.to.toLowerCase())) {
          throw new Error(`The SMTP server did not accept ${email.to}: ${String(info.response ?? '')}`);
        }
        return { via: 'smtp', response: String(info.response ?? '') };
      },
      close: () => transport.close(),
    };
  }

  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    via: 'outbox',
    async send(email) {
      const info = await stream.sendMail(message(email));
      ownerOnlyFolder(opts.outboxDir);
      const stamp = new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
      const id = createHash('sha256').update(email.messageId).digest('hex').slice(0, 12);
      const who = email.to.replace(/[^a-z0-9.@_-]/gi, '_');
      const file = join(opts.outboxDir, `${stamp}-${who}-${id}.eml`);
      await writeDurably(file, (info.message as Buffer).toString('utf8'));
      return { via: 'outbox', response: file };
    },
    close: () => stream.close(),
  };
}
