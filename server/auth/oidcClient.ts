import type * as OpenIdClient from 'openid-client';
import type { OidcSettings } from '../config.js';

/** What the session keeps between sending someone to the identity provider and their return. */
export interface PendingOidc {
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
  startedAt: number;
}

/** Who the identity provider says signed in. */
export interface OidcIdentity {
  subject: string;
  email: string | null;
  /** True only when the provider vouches for the address (`email_verified`, or Entra ID's `xms_edov`). */
  emailVerified: boolean;
}

/** Sign-in with the identity provider failed; `reason` is for the audit log, never for the page. */
export class OidcSignInError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The provider could not be reached or described itself wrongly (e.g. another issuer). */
export class OidcUnavailableError extends Error {}

/** How long a visitor may spend at the identity provider before the sign-in must start again. */
export const OIDC_PENDING_MS = 10 * 60_000;

const SCOPE = 'openid email profile';

/**
 * OpenID Connect with openid-client: discovery from the issuer (once, retried after a failure), the
 * authorization code flow with PKCE (S256), state and nonce, and the ID token validated by the library
 * (signature, issuer, audience, expiry, nonce).
 */
export function createOidcClient(settings: OidcSettings, redirectUri: string, now: () => number = Date.now) {
  let discovered: Promise<OpenIdClient.Configuration> | null = null;
  const insecure = new URL(settings.issuer).protocol === 'http:';
  // The library is loaded at the first single sign-on, not by every CLI run and server start.
  let library: Promise<typeof OpenIdClient> | null = null;
  const load = () => {
    library ??= import('openid-client');
    return library;
  };

  async function configuration(): Promise<OpenIdClient.Configuration> {
    const client = await load();
    discovered ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        { client_secret: settings.clientSecret, redirect_uris: [redirectUri] },
        client.ClientSecretBasic(settings.clientSecret),
        // Plain http only for a provider on this machine (config.ts refuses it elsewhere).
        { timeout: 10, ...(insecure ? { execute: [client.allowInsecureRequests] } : {}) },
      )
      .catch((err: unknown) => {
        discovered = null;
        throw new OidcUnavailableError(`Discovery from ${settings.issuer} failed: ${(err as Error).message}`);
      });
    return discovered;
  }

  return {
    redirectUri,

    /** Where to send the visitor, and what to keep in their session until they come back. */
    async start(next: string): Promise<{ url: string; pending: PendingOidc }> {
      const client = await load();
      const config = await configuration();
      const codeVerifier = client.randomPKCECodeVerifier();
      const pending: PendingOidc = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier,
        next,
        startedAt: now(),
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },

    /** The return from the provider: checks state, exchanges the code, validates the ID token. */
    async finish(callbackUrl: URL, pending: PendingOidc | undefined): Promise<OidcIdentity> {
      if (!pending) throw new OidcSignInError('no sign-in was in progress in this browser');
      if (now() - pending.startedAt > OIDC_PENDING_MS) throw new OidcSignInError('the sign-in took too long');
      const providerError = callbackUrl.searchParams.get('error');
      if (providerError)
        throw new OidcSignInError(`the identity provider answered ${providerError.slice(0, 100)}`);
      const client = await load();
      const config = await configuration();
      let tokens: Awaited<ReturnType<typeof OpenIdClient.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw new OidcSignInError(`the sign-in response was refused (${describe(err)})`);
      }
      const claims = tokens.claims();
      if (!claims) throw new OidcSignInError('the identity provider sent no ID token');
      // Entra ID puts the email in the ID token (as an optional claim); a provider following the core
      // spec strictly gives it from the userinfo endpoint, for the same subject.
      let source: Record<string, unknown> = claims;
      if (typeof claims.email !== 'string') {
        try {
          source = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        } catch (err) {
          throw new OidcSignInError(`the userinfo request failed (${(err as Error).message.slice(0, 200)})`);
        }
      }
      const email = typeof source.email === 'string' ? source.email.trim().slice(0, 254) : null;
      return {
        subject: claims.sub,
        email: email || null,
        emailVerified: source.email_verified === true || source.xms_edov === true,
      };
    },
  };
}

/** The library's error for the audit log: its code, message and the underlying cause's message. */
function describe(err: unknown): string {
  const e = err as Error & { code?: string; error?: string; cause?: { message?: string } };
  const parts = [[e.code, e.error].filter(Boolean).join(', '), e.message, e.cause?.message];
  return parts
    .filter(Boolean)
    .map((p) => String(p).slice(0, 200))
    .join(': ');
}

export type OidcClient = ReturnType<typeof createOidcClient>;
