import { itemAt } from '../../data/itemAt.js';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  /** Envelope recipients, lower case. */
  to: string[];
  raw: string;
  /** The raw message with quoted-printable undone, for reading the text and HTML parts. */
  decoded: string;
  subject: string;
}

export interface SmtpSink {
  port: number;
  url: string;
  received: ReceivedEmail[];
  /** Refuse RCPT TO for these addresses with a permanent 550. */
  rejectRecipients: Set<string>;
  /** Answer the next N messages' MAIL FROM with a temporary 421 (a busy server). */
  failNext: number;
  /** While set, each message waits at MAIL FROM until it settles (a slow mail server); `held` counts them. */
  hold: Promise<void> | null;
  held: number;
  close(): Promise<void>;
}

/** Undoes quoted-printable: soft line breaks and =XX bytes (UTF-8). */
export function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = itemAt(joined, i);
    if (c === '=' && /^[0-9A-F]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A real SMTP server on loopback, on a random port, that keeps what it receives. */
export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const sink: Omit<SmtpSink, 'port' | 'url' | 'close'> = {
    received: [],
    rejectRecipients: new Set(),
    failNext: 0,
    hold: null,
    held: 0,
  };
  /** MAIL FROM's answer: a temporary 421 while `failNext` lasts, else accepted. */
  const accept = (callback: (err?: Error | null) => void) => {
    if (sink.failNext > 0) {
      sink.failNext--;
      callback(Object.assign(new Error('Try again later'), { responseCode: 421 }));
      return;
    }
    callback();
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      const hold = sink.hold;
      if (hold) {
        sink.held++;
        void hold.finally(() => {
          sink.held--;
          accept(callback);
        });
        return;
      }
      accept(callback);
    },
    onRcptTo(address, _session, callback) {
      if (sink.rejectRecipients.has(address.address.toLowerCase())) {
        const err = Object.assign(new Error('No such mailbox'), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '';
        sink.received.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw,
          decoded: decodeQuotedPrintable(raw),
          subject,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.server.address() as AddressInfo).port;
  return Object.assign(sink, {
    port: actual,
    url: `smtp://127.0.0.1:${actual}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
