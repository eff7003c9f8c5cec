import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';

/** Who the provider signs in next, as an identity provider's directory would describe them. */
export interface IdpAccount {
  sub: string;
  email: string;
  email_verified: boolean;
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account the next sign-in at the provider is for (the person "typing their password" there). */
  signInAs(account: IdpAccount): void;
  /**
   * Plays the browser at the provider: follows its redirects (with its cookies) from the authorization
   * URL until it sends the browser back to `returnTo`, and returns that URL (with code, state, iss).
   * Each call is a new browser: nobody is still signed in at the provider from an earlier call.
   */
  authorize(authorizationUrl: string, returnTo: string): Promise<URL>;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (oidc-provider) on a loopback port, with one confidential client whose
 * redirect URI is `redirectUri`. Its login and consent steps finish at once for the account chosen with
 * `signInAs`, so tests exercise the real protocol (discovery, PKCE, code, ID token) without a login form.
 */
export async function startTestIdp(opts: {
  /** The app's callback; a function when the app is started after the provider (it needs the issuer). */
  redirectUri: string | (() => string);
  codeTtlSeconds?: number;
}): Promise<TestIdp> {
  const clientId = 'due-regard-test';
  const clientSecret = 'test-client-secret-0123456789abcdef';
  let next: IdpAccount | null = null;
  const accounts = new Map<string, IdpAccount>();
  let provider: Provider | null = null;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    provider ??= createProvider();
    if (req.url?.startsWith('/interaction/')) return finishInteraction(provider, req, res);
    provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function finishInteraction(p: Provider, req: IncomingMessage, res: ServerResponse) {
    const details = await p.interactionDetails(req, res);
    const account = next;
    if (!account) {
      res.statusCode = 500;
      return res.end('No account chosen: call signInAs first');
    }
    accounts.set(account.sub, account);
    const grant = new p.Grant({ accountId: account.sub, clientId: String(details.params.client_id) });
    grant.addOIDCScope('openid email profile');
    const grantId = await grant.save();
    await p.interactionFinished(
      req,
      res,
      { login: { accountId: account.sub }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // Made at the first request, when the app (and so its callback address) exists.
  const createProvider = () =>
    new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: [typeof opts.redirectUri === 'string' ? opts.redirectUri : opts.redirectUri()],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: {
        keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }],
      },
      cookies: { keys: ['test-cookie-key-0123456789'] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: [] },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      adapter: memoryAdapter(),
      ttl: {
        AuthorizationCode: opts.codeTtlSeconds ?? 60,
        AccessToken: 300,
        IdToken: 300,
        Grant: 600,
        Session: 600,
        Interaction: 600,
      },
      findAccount: (_ctx, sub) => {
        const a = accounts.get(sub);
        return a ? { accountId: sub, claims: () => ({ ...a }) } : undefined;
      },
    });
  if (typeof opts.redirectUri === 'string') provider = createProvider();

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(account) {
      next = account;
    },
    async authorize(authorizationUrl, returnTo) {
      // A fresh browser each time (no session left at the provider from an earlier test), whose cookies
      // the provider needs across its own redirects.
      const cookies = new Map<string, string>();
      let url = new URL(authorizationUrl);
      for (let hop = 0; hop < 10; hop++) {
        if (url.href.startsWith(returnTo)) return url;
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const c of res.headers.getSetCookie()) {
          const [pair = ''] = c.split(';');
          const eq = pair.indexOf('=');
          cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
        }
        const location = res.headers.get('location');
        if (!location)
          throw new Error(`The provider answered ${res.status} without a redirect: ${await res.text()}`);
        url = new URL(location, url);
      }
      throw new Error('The provider never sent the browser back');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The provider's records in memory, dropped when they expire (its own development adapter warns on every start). */
function memoryAdapter(): (name: string) => Adapter {
  const records = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const live = (key: string) => {
    const r = records.get(key);
    if (r && r.expiresAt < Date.now()) records.delete(key);
    return records.get(key)?.payload;
  };
  const findBy = (field: 'uid' | 'userCode', value: string) => {
    for (const [key, r] of records) if (r.payload[field] === value) return live(key);
    return undefined;
  };
  return (name) => ({
    async upsert(id, payload, expiresIn) {
      records.set(`${name}:${id}`, {
        payload,
        expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity,
      });
    },
    find: async (id) => live(`${name}:${id}`),
    findByUid: async (uid) => findBy('uid', uid),
    findByUserCode: async (code) => findBy('userCode', code),
    async consume(id) {
      const p = live(`${name}:${id}`);
      if (p) p.consumed = Math.floor(Date.now() / 1000);
    },
    async destroy(id) {
      records.delete(`${name}:${id}`);
    },
    async revokeByGrantId(grantId) {
      for (const [key, r] of records) if (r.payload.grantId === grantId) records.delete(key);
    },
  });
}
