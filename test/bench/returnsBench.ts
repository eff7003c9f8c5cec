import { Store } from '../../data/store/store.js';
import { loadConfig } from '../../server/config.js';
import { createServices } from '../../server/services/createServices.js';
import { startSmtpSink } from '../support/smtpSink.js';

export interface ReturnsFigures {
  schools: number;
  emails: number;
  ms: number;
}

/**
 * Sending the annual return to every school of a borough database (SPEC §13, issue 23: under 30 s) through
 * a real SMTP server on loopback: the links made and stored, one email per current lead, each recorded in
 * the sent log once the server took it.
 */
export async function returnsFigures(dbPath: string): Promise<ReturnsFigures> {
  const sink = await startSmtpSink();
  const store = await Store.open(dbPath);
  const config = loadConfig(
    { NODE_ENV: 'test' },
    { dbPath, smtpUrl: sink.url, baseUrl: 'https://bench.example' },
  );
  const services = createServices(store, config, 'bench-secret-0123456789abcdef0123456789');
  try {
    const urns = store.list('schools').map((s) => s.urn);
    const t0 = performance.now();
    const outcome = await services.returnSending.send('bench', { urns });
    const ms = performance.now() - t0;
    const emails = outcome.sent.reduce((n, s) => n + s.to.length, 0);
    if (sink.received.length !== emails || outcome.failed.length > 0)
      throw new Error(`returns bench: ${emails} sent but the SMTP server received ${sink.received.length}`);
    return { schools: urns.length, emails, ms: Math.round(ms) };
  } finally {
    services.reminders.close();
    await store.close();
    await sink.close();
  }
}
