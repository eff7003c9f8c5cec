import { join } from 'node:path';
import { expect } from 'chai';
import { Store } from '../../../data/store/store.js';
import { runCli } from '../../../server/cli/cli.js';
import { setUpDemo } from '../../../server/services/demoSetup.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { tempFolders } from '../../support/tempFolder.js';

describe('CLI: returns send (in process, real SMTP on loopback)', () => {
  const folders = tempFolders('returns-cli');
  let sink: SmtpSink;
  let db: string;

  before(async () => {
    sink = await startSmtpSink();
    db = join(folders.make(), 'demo.json');
    const store = await Store.open(db);
    await setUpDemo(store, { passwordHashCost: 10 });
    await store.close();
  });
  after(async () => {
    await sink.close();
    folders.cleanUp();
  });

  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['returns', 'send', ...args, '--db', db], {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      isTty: false,
      env: { PASSWORD_HASH_COST: '10', SMTP_URL: sink.url, BASE_URL: 'https://dr.example.gov.uk' },
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('when run with --dry-run, then it lists who would get the return and sends nothing', async () => {
    const r = await run('--dry-run');
    expect(r.code).to.equal(0);
    expect(r.out).to.include('Dry run, nothing sent: would send the annual return to 3 schools');
    expect(r.out).to.include('g.lloyd@hillcrest.example.sch.uk');
    expect(r.out).to.include('Westfield Middle School (190005): No email address for its Prevent lead');
    expect(sink.received).to.have.length(0);
  });

  it('when run, then one email per lead goes out, and a second run leaves out schools whose link still works', async () => {
    const first = await run();
    expect(first.code).to.equal(0);
    expect(first.out).to.include('Sent the annual return to 3 schools');
    expect(sink.received).to.have.length(4);
    const second = await run();
    expect(second.code).to.equal(0);
    expect(second.out)
      .to.include('Sent the annual return to 0 schools')
      .and.to.include('Left out, link still in date (3)');
    expect(sink.received).to.have.length(4);
  });

  it('when given an argument, then it is a usage error (exit 2)', async () => {
    expect((await run('everyone')).code).to.equal(2);
  });
});
