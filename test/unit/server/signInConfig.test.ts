import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../server/config.js';

const OIDC = {
  OIDC_ISSUER: 'https://login.microsoftonline.com/0000-tenant/v2.0',
  OIDC_CLIENT_ID: 'client-id',
  OIDC_CLIENT_SECRET: 'client-secret',
};
const refused = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('Sign-in configuration (OIDC_*, BREAK_GLASS_EMAIL, REQUIRE_2FA)', () => {
  it('when nothing is set, then there is no single sign-on, passwords are for everyone and two-factor is optional', () => {
    const c = loadConfig({});
    expect(c.oidc).to.equal(null);
    expect(c.passwordOnlyFor).to.equal(null);
    expect(c.require2fa).to.equal(false);
  });

  it('when the three OIDC settings are set, then single sign-on is configured with them', () => {
    expect(loadConfig(OIDC).oidc).to.deep.equal({
      issuer: OIDC.OIDC_ISSUER,
      clientId: 'client-id',
      clientSecret: 'client-secret',
    });
  });

  it('when only some OIDC settings are set, then start-up stops saying they go together', () => {
    expect(refused({ OIDC_ISSUER: OIDC.OIDC_ISSUER })).to.include('must be set together');
  });

  it('when the issuer is plain http on another machine, then start-up stops; on this machine (a test provider) it is accepted', () => {
    expect(refused({ ...OIDC, OIDC_ISSUER: 'http://login.example.test/' })).to.include('https://');
    expect(loadConfig({ ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:4000' }).oidc?.issuer).to.equal(
      'http://127.0.0.1:4000',
    );
  });

  it('when OIDC_ONLY is on, then it needs single sign-on and a break-glass coordinator, whose email is matched in any case', () => {
    expect(refused({ OIDC_ONLY: 'true' })).to.include('OIDC_ONLY needs OIDC_ISSUER');
    expect(refused({ ...OIDC, OIDC_ONLY: 'true' })).to.include('BREAK_GLASS_EMAIL');
    const c = loadConfig({ ...OIDC, OIDC_ONLY: 'true', BREAK_GLASS_EMAIL: 'Emergency@Council.example' });
    expect(c.passwordOnlyFor).to.equal('emergency@council.example');
    expect(loadConfig({ ...OIDC, BREAK_GLASS_EMAIL: 'emergency@council.example' }).passwordOnlyFor).to.equal(
      null,
    );
  });

  it('when REQUIRE_2FA or OIDC_ONLY is not true or false, then start-up stops naming it', () => {
    expect(loadConfig({ REQUIRE_2FA: 'true' }).require2fa).to.equal(true);
    expect(refused({ REQUIRE_2FA: 'yes' })).to.equal(
      'Configuration error: REQUIRE_2FA must be true or false',
    );
    expect(refused({ ...OIDC, OIDC_ONLY: '1' })).to.include('OIDC_ONLY must be true or false');
  });
});
