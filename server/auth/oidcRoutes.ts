import { notFound } from '../errors.js';
import { type Response, Router } from 'express';
import { safeNext } from '../routes/authRoutes.js';
import type { Services } from '../services/createServices.js';
import { OidcSignInError, OidcUnavailableError } from './oidcClient.js';
import { signIn } from './signIn.js';
import { auditSignIn } from './signInAudit.js';

/** What the visitor is told, by what went wrong. No technical detail: that goes to the audit log. */
const problems = {
  failed: {
    status: 400,
    title: 'You could not be signed in',
    paragraphs: [
      'Something went wrong while you were signing in with your council account, or the sign-in took too long.',
    ],
    retry: true,
  },
  unverified: {
    status: 403,
    title: 'You could not be signed in',
    paragraphs: [
      'Your council account did not tell us a confirmed email address, so we cannot tell which account is yours.',
      'Ask your IT service desk to check that your account has an email address, then try again.',
    ],
    retry: false,
  },
  unknown: {
    status: 403,
    title: 'You do not have an account',
    paragraphs: [
      'You signed in to your council account, but Due Regard has no account with that email address.',
      'Ask your Prevent coordinator to add you. Give them the email address shown below.',
    ],
    retry: false,
  },
  deactivated: {
    status: 403,
    title: 'Your account has been deactivated',
    paragraphs: ['Ask your Prevent coordinator if you need to use Due Regard again.'],
    retry: false,
  },
  unavailable: {
    status: 503,
    title: 'Sorry, signing in with your council account is not working',
    paragraphs: ['Try again later. If it keeps happening, tell your IT service desk.'],
    retry: true,
  },
  locked: {
    status: 429,
    title: 'You could not be signed in',
    paragraphs: [],
    retry: false,
  },
} as const;

/**
 * Single sign-on (SPEC §15): `/auth/login` sends the visitor to the council's identity provider and
 * `/auth/callback` signs them in to the account with the verified email, keeping its role. Every
 * sign-in and refusal is in the audit log. Both answer 404 when single sign-on is not configured.
 */
export function oidcRoutes({ config, oidc, sessions, signInThrottle, store, users }: Services) {
  const router = Router();

  const problem = (
    res: Response,
    kind: keyof typeof problems,
    extra: { email?: string; text?: string } = {},
  ) => {
    const p = problems[kind];
    res.status(p.status).render('pages/auth/signInProblem', {
      title: p.title,
      paragraphs: extra.text ? [...p.paragraphs, extra.text] : p.paragraphs,
      email: extra.email ?? null,
      retry: p.retry,
    });
  };

  router.get('/auth/login', async (req, res) => {
    if (!oidc) throw notFound();
    if (req.user) return res.redirect(303, '/');
    const locked = await signInThrottle.addressLockout(req.ip ?? 'unknown');
    if (locked) return problem(res, 'locked', { text: locked.message });
    try {
      const { url, pending } = await oidc.start(safeNext(req.query.next));
      req.session.oidcPending = pending;
      res.redirect(303, url);
    } catch (err) {
      if (!(err instanceof OidcUnavailableError)) throw err;
      if (config.logErrors) console.error(err.message);
      problem(res, 'unavailable');
    }
  });

  router.get('/auth/callback', async (req, res) => {
    if (!oidc) throw notFound();
    const address = req.ip ?? 'unknown';
    const pending = req.session.oidcPending;
    // One use: a replayed or second callback in this browser finds nothing in progress.
    delete req.session.oidcPending;
    const locked = await signInThrottle.addressLockout(address);
    if (locked) return problem(res, 'locked', { text: locked.message });
    const refuse = async (
      kind: keyof typeof problems,
      reason: string,
      who: { userId?: string; email?: string } = {},
    ) => {
      await signInThrottle.recordAddressFailure(address);
      await auditSignIn(store, who.email ?? 'single sign-on', who.userId ?? null, {
        outcome: 'refused',
        method: 'single sign-on',
        reason,
        ...(who.email ? { email: who.email } : {}),
      });
      problem(res, kind, { email: kind === 'unknown' ? who.email : undefined });
    };
    let identity: Awaited<ReturnType<NonNullable<typeof oidc>['finish']>>;
    try {
      identity = await oidc.finish(new URL(req.originalUrl, config.baseUrl), pending);
    } catch (err) {
      if (err instanceof OidcUnavailableError) {
        if (config.logErrors) console.error(err.message);
        return problem(res, 'unavailable');
      }
      if (!(err instanceof OidcSignInError)) throw err;
      return refuse('failed', err.reason);
    }
    if (!identity.email || !identity.emailVerified) {
      return refuse(
        'unverified',
        identity.email ? 'the email address was not verified' : 'no email address',
        {
          email: identity.email ?? undefined,
        },
      );
    }
    const user = users.byEmail(identity.email);
    if (!user) return refuse('unknown', 'no account has this email address', { email: identity.email });
    if (!user.active) {
      return refuse('deactivated', 'the account is deactivated', { userId: user.id, email: user.email });
    }
    await auditSignIn(store, user.email, user.id, { outcome: 'signed in', method: 'single sign-on' });
    await signIn(sessions, req, user, 'single sign-on');
    res.redirect(303, pending?.next ?? '/');
  });

  return router;
}
