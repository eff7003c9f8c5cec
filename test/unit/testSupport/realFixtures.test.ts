import { expect } from 'chai';
import { needRealFixtures } from '../../support/realFixtures.js';

/** Just enough of mocha's context: a test with a title, and skip() recording that it was called. */
function fakeContext(title: string, hook = false) {
  const test = { title };
  const ctx = {
    skipped: false,
    skip() {
      ctx.skipped = true;
    },
    ...(hook ? { currentTest: test } : { test }),
  };
  return { ctx, test };
}

describe('needRealFixtures: tests over the real samples skip, saying why, when a sample is absent', () => {
  it('when every named sample is present, then the test runs on untouched', function () {
    needRealFixtures(this, 'README.md');
    const { ctx, test } = fakeContext('reads ofsi');
    needRealFixtures(ctx as unknown as Mocha.Context, 'README.md');
    expect(ctx.skipped).to.equal(false);
    expect(test.title).to.equal('reads ofsi');
  });

  it('when a named sample is absent, then the test is skipped with the missing file in its title', () => {
    const { ctx, test } = fakeContext('reads a sample');
    needRealFixtures(ctx as unknown as Mocha.Context, 'README.md', 'no_such_sample.csv');
    expect(ctx.skipped).to.equal(true);
    expect(test.title).to.match(/^reads a sample \(skipped: (no_such_sample\.csv not in|\.\.\/shared)/);
  });

  it('when called from a beforeEach hook, then the test about to run gets the reason', () => {
    const { ctx, test } = fakeContext('from a hook', true);
    needRealFixtures(ctx as unknown as Mocha.Context, 'no_such_sample.csv');
    expect(ctx.skipped).to.equal(true);
    expect(test.title).to.include('(skipped: ');
  });
});
