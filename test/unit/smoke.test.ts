import { expect } from 'chai';
describe('tooling', () => {
  it('when mocha runs TypeScript, then it executes', () => {
    const n: number = 2;
    expect(n + 2).to.equal(4);
  });
});
