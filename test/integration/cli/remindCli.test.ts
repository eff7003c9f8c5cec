import { join } from 'node:path';
import { expect } from 'chai';
import { ReminderLog, reminderLogPathFor } from '../../../data/store/reminderLog.js';
import { Store } from '../../../data/store/store.js';
import { setUpDemo } from '../../../server/services/demoSetup.js';
import { REMINDER_AS_OF, spreadDemoOwners } from '../../support/reminderFixtures.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { tempFolders } from '../../support/tempFolder.js';

/** Recipients the fixture sets up (other areas' demo data may add more, e.g. library managers). */
const OWNERS = [
  'caretaker@northbrook.example',
  'coordinator@demo.test',
  'education@demo.test',
  'facilities@demo.test',
];

describe('CLI: npx dueregard remind', function () {
  this.timeout(60_000);
  const folders = tempFolders('remind-cli');
  let sink: SmtpSink | null = null;
  let dbPath: string;

  beforeEach(async () => {
    dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath);
    await setUpDemo(store, { passwordHashCost: 10, today: REMINDER_AS_OF });
    await spreadDemoOwners(store);
    await store.close();
  });
  afterEach(async () => {
    await sink?.close();
    sink = null;
  });
  after(() => folders.cleanUp());

  const remind = (args: string[], env: Record<string, string> = {}) =>
    runCliInProcess(['remind', '--db', dbPath, '--as-of', REMINDER_AS_OF, ...args], {
      NODE_ENV: 'test',
      BASE_URL: 'https://dueregard.example.gov.uk',
      REMINDER_RETRY_SECONDS: '0',
      ...env,
    });
  const received = () => sink!.received.map((m) => m.to.join(',')).sort();

  it('when remind runs in one process and again in a new one, then the second sends nothing', async () => {
    sink = await startSmtpSink();
    const first = await remind([], { SMTP_URL: sink.url });
    expect(first.code, first.stderr).to.equal(0);
    const n = sink.received.length;
    expect(first.stdout).to.include(`Sent ${n} of ${n} emails as of 2026-03-04.`);
    expect(received()).to.include.members(OWNERS);
    // One digest per recipient, plus the coordinator's weekly summary.
    expect(new Set(received()).size).to.equal(n - 1);

    const second = await remind([], { SMTP_URL: sink.url });
    expect(second.code, second.stderr).to.equal(0);
    expect(second.stdout).to.include('Sent 0 of 0 emails');
    expect(sink.received).to.have.length(n);
  });

  it('when the SMTP server is down, then remind retries, exits 1 naming what is pending, and the next run sends it once', async () => {
    sink = await startSmtpSink();
    const url = sink.url;
    const port = sink.port;
    await sink.close();
    sink = null;

    const down = await remind([], { SMTP_URL: url, REMINDER_RETRY_SECONDS: '3' });
    expect(down.code).to.equal(1);
    const pending = Number(
      /(\d+) emails were not accepted by the mail server; the next run sends them/.exec(down.stderr)?.[1],
    );
    expect(pending).to.be.at.least(OWNERS.length + 1);
    for (const to of OWNERS) expect(down.stderr).to.include(`pending ${to}`);
    const log = ReminderLog.open(reminderLogPathFor(dbPath), { write: false });
    expect(log.entries().filter((e) => e.status === 'sent')).to.have.length(0);
    expect(log.entries()).to.have.length(pending);
    // Retried with backoff within the run: every email was tried more than once.
    for (const e of log.entries()) expect(e.attempts).to.be.at.least(2);

    sink = await startSmtpSink(port);
    const up = await remind([], { SMTP_URL: url });
    expect(up.code, up.stderr).to.equal(0);
    expect(sink.received).to.have.length(pending);
    expect(received()).to.include.members(OWNERS);
    const again = await remind([], { SMTP_URL: url });
    expect(again.code).to.equal(0);
    expect(sink.received).to.have.length(pending);
  });

  it('when another process holds the database (the server), then remind exits 3 and sends nothing; --dry-run still lists what is due', async () => {
    sink = await startSmtpSink();
    const server = await Store.open(dbPath);
    try {
      const locked = await remind([], { SMTP_URL: sink.url });
      expect(locked.code).to.equal(3);
      expect(locked.stderr).to.include('is in use by another process');
      const dry = await remind(['--dry-run'], { SMTP_URL: sink.url });
      expect(dry.code, dry.stderr).to.equal(0);
      expect(dry.stdout).to.match(/Dry run, nothing sent: \d+ emails would be sent as of 2026-03-04\./);
      expect(dry.stdout).to.include('caretaker@northbrook.example');
      expect(dry.stdout).to.include('Hillcrest Youth Centre (NB-003) [due-30]');
    } finally {
      await server.close();
    }
    expect(sink.received).to.have.length(0);
  });

  it('when SMTP_URL is unset, then each email is written as an .eml file in the outbox beside the database', async () => {
    const r = await remind([]);
    expect(r.code, r.stderr).to.equal(0);
    const { readdirSync, readFileSync } = await import('node:fs');
    const outbox = join(dbPath, '..', 'outbox');
    const files = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    expect(files.length).to.equal(Number(/Sent (\d+) of/.exec(r.stdout)?.[1]));
    for (const to of OWNERS)
      expect(
        files.some((f) => f.includes(to)),
        to,
      ).to.equal(true);
    const facilities = files.find((f) => f.includes('facilities@demo.test'))!;
    const text = readFileSync(join(outbox, facilities), 'utf8');
    expect(text).to.match(/^To: facilities@demo\.test\r$/m);
    expect(text).to.include('multipart/alternative');
  });

  it('when remind is given an unexpected argument, then it is a usage error (exit 2)', async () => {
    const r = await remind(['now']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('Usage: npx dueregard remind [--dry-run]');
  });
});
