import { expect } from 'chai';
import { ConfigError, loadConfig, parseTrustProxy } from '../../../server/config.js';

describe('Config: TRUST_PROXY', () => {
  it('when TRUST_PROXY is unset, then only a proxy on loopback is believed', () => {
    expect(loadConfig({}).trustProxy).to.deep.equal(['loopback']);
  });

  it('when TRUST_PROXY is false, a hop count or a comma list, then it is taken as Express takes it', () => {
    expect(parseTrustProxy('false')).to.equal(false);
    expect(parseTrustProxy('2')).to.equal(2);
    expect(parseTrustProxy('0')).to.equal(0);
    expect(parseTrustProxy('loopback, 10.0.0.0/8,fd00::/8, 192.168.1.7,linklocal,uniquelocal')).to.deep.equal(
      ['loopback', '10.0.0.0/8', 'fd00::/8', '192.168.1.7', 'linklocal', 'uniquelocal'],
    );
    expect(parseTrustProxy('10.1.0.0/255.255.0.0')).to.deep.equal(['10.1.0.0/255.255.0.0']);
    expect(loadConfig({ TRUST_PROXY: '172.16.0.0/12' }).trustProxy).to.deep.equal(['172.16.0.0/12']);
  });

  it('when TRUST_PROXY is not something Express can use (or is true), then start-up stops with one line naming it', () => {
    for (const bad of [
      'true',
      'proxy.example',
      '10.0.0.0/33',
      '::1/129',
      '10.0.0.1/255.0.255.0',
      'loopback,,10.0.0.1',
      '101',
      '10.0.0.0/8/8',
    ]) {
      let message = '';
      try {
        loadConfig({ TRUST_PROXY: bad });
      } catch (err) {
        expect(err, bad).to.be.instanceOf(ConfigError);
        message = (err as Error).message;
      }
      expect(message, bad).to.match(/^Configuration error: TRUST_PROXY /);
      expect(message, bad).to.not.include('\n');
    }
  });
});
