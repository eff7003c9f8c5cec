import { expect } from 'chai';
import request from 'supertest';
import { systemError, writeFaults } from '../../../data/store/writeFaults.js';
import { fileOnly } from '../../support/testBackend.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';

async function until(condition: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('HTTP: the disk fills while people work', function () {
  this.timeout(30_000);
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    writeFaults.inject(null);
    await t.close();
  });

  it(
    fileOnly(
      "the faults are injected into the file store's own disk writes",
      'when the disk is full, then a save answers 503 "Saving is paused", /health says degraded and why, reads still work; once space is freed saves go through and nothing is lost',
    ),
    async () => {
      const a = await t.signIn('facilities@demo.test');
      const premisesBefore = t.store.list('premises').length;
      writeFaults.inject((path, kind) =>
        kind === 'truncate' ? null : systemError('ENOSPC', 'no space left on device', path),
      );

      const refused = await a.post('/premises', { ref: 'NB-200', name: 'Full Disk Hall' });
      expect(refused.status).to.equal(503);
      expect(refused.headers['retry-after']).to.equal('60');
      expect(refused.text).to.include('Saving is paused');
      expect(refused.text).to.include('the disk holding the database is full');
      expect(refused.text).to.not.include('ENOSPC');

      const health = await request(t.app).get('/health');
      expect(health.status).to.equal(503);
      expect(health.body).to.include({ status: 'degraded', reason: 'the disk holding the database is full' });

      const list = await a.get('/premises');
      expect(list.status).to.equal(200);
      expect(list.text, 'the refused change is not shown').to.not.include('Full Disk Hall');
      expect(t.store.list('premises')).to.have.length(premisesBefore);

      writeFaults.inject(null);
      await until(async () => (await request(t.app).get('/health')).status === 200);
      expect((await request(t.app).get('/health')).body).to.deep.equal({ status: 'ok' });
      const saved = await a.post('/premises', { ref: 'NB-200', name: 'Full Disk Hall' });
      expect(saved.status).to.equal(303);
      expect(t.store.list('premises')).to.have.length(premisesBefore + 1);
    },
  );
});
