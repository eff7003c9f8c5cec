import { type Response, Router } from 'express';
import { formatDateTime } from '../../checks/londonDates.js';
import { requireRole, type SignedInRequest } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { InputError, notFound } from '../errors.js';
import { pendingTwoFactorOf, signIn } from './signIn.js';
import { auditSignIn } from './signInAudit.js';
import { throttledAttempt } from './throttledAttempt.js';
import { securityCodeProblem, WRONG_CODE } from './twoFactorService.js';
import { looksLikeRecoveryCode, normaliseCode } from './totp.js';

type Errors = Record<string, { text: string; href: string }>;

/**
 * Two-factor: the code step of a password sign-in (/login/two-factor), enrolment and recovery codes
 * for the signed-in user (/account/two-factor), and a coordinator's reset of someone's second factor.
 */
export function twoFactorRoutes({ config, store, sessions, signInThrottle, twoFactor, users }: Services) {
  const router = Router();
  const signedIn = requireRole();

  const codePage = (res: Response, status: number, recovery: boolean, errors: Errors = {}) =>
    res.status(status).render('pages/auth/twoFactorCode', {
      title: recovery ? 'Enter a recovery code' : 'Enter the security code from your authenticator app',
      recovery,
      errors,
      hasErrors: Object.keys(errors).length > 0,
    });

  router.get('/login/two-factor', (req, res) => {
    if (req.user) return res.redirect(303, '/');
    if (!pendingTwoFactorOf(sessions, req.session)) return res.redirect(303, '/login');
    codePage(res, 200, req.query.recovery === 'yes');
  });

  router.post('/login/two-factor', async (req, res) => {
    const pending = pendingTwoFactorOf(sessions, req.session);
    if (!pending) {
      req.session.flash = { text: 'Your sign-in timed out. Enter your email address and password again.' };
      return res.redirect(303, '/login');
    }
    const typed = typeof req.body?.code === 'string' ? req.body.code.slice(0, 100) : '';
    const recovery = req.body?.recovery === 'yes';
    const problem = recovery
      ? normaliseCode(typed)
        ? null
        : 'Enter a recovery code'
      : securityCodeProblem(typed);
    if (problem) return codePage(res, 400, recovery, { code: { text: problem, href: '#code' } });
    const account = () => store.get('users', pending.userId);
    const attempt = await throttledAttempt(signInThrottle, account, req.ip ?? 'unknown', async () => {
      // A recovery code must look like one on the recovery page, and a security code on the other.
      if (recovery !== looksLikeRecoveryCode(typed)) return null;
      return twoFactor.verify(pending.userId, typed);
    });
    if (!attempt.ok) {
      if (attempt.lockout) {
        return codePage(res, 429, recovery, { code: { text: attempt.lockout.message, href: '#code' } });
      }
      const text = recovery ? 'The recovery code is not right, or it has been used already' : WRONG_CODE;
      return codePage(res, 400, recovery, { code: { text, href: '#code' } });
    }
    const user = account();
    // Deactivated or signed out everywhere while the code page was open: start again.
    if (!user?.active || user.sessionEpoch !== pending.epoch) {
      delete req.session.pendingTwoFactor;
      return res.redirect(303, '/login');
    }
    if (config.passwordOnlyFor === user.email.toLowerCase()) {
      await auditSignIn(store, user.email, user.id, { outcome: 'signed in', method: 'break-glass password' });
    }
    const session = await signIn(sessions, req, user, 'password');
    if (attempt.value === 'recovery code') {
      const left = twoFactor.recoveryCodesLeft(user);
      session.flash = {
        text: `You used a recovery code. You have ${left} left. You can get new ones on your account page.`,
      };
    }
    res.redirect(303, user.mustChangePassword ? '/account/password' : pending.next);
  });

  async function enrolPage(req: SignedInRequest, res: Response, status = 200, errors: Errors = {}) {
    const user = req.user;
    if (twoFactor.isEnrolled(user)) {
      return res.status(status).render('pages/account/twoFactor', {
        title: 'Two-factor authentication',
        enrolledAt: formatDateTime(user.totpEnabledAt ?? null),
        recoveryCodesLeft: twoFactor.recoveryCodesLeft(user),
      });
    }
    // The same secret until it is confirmed, so reloading the page does not change the QR code.
    let secret = req.session.totpEnrolSecret;
    if (!secret) {
      secret = twoFactor.newSecret();
      req.session.totpEnrolSecret = secret;
    }
    res.status(status).render('pages/account/twoFactorEnrol', {
      title: 'Set up two-factor authentication',
      ...(await twoFactor.enrolmentDetails(user, secret)),
      errors,
      hasErrors: Object.keys(errors).length > 0,
    });
  }

  router.get(
    '/account/two-factor',
    signedIn((req, res) => enrolPage(req, res)),
  );

  router.post(
    '/account/two-factor',
    signedIn(async (req, res) => {
      const secret = req.session.totpEnrolSecret;
      if (!secret || twoFactor.isEnrolled(req.user)) return res.redirect(303, '/account/two-factor');
      const typed = typeof req.body?.code === 'string' ? req.body.code.slice(0, 100) : '';
      try {
        const codes = await twoFactor.confirm(req.user, secret, typed);
        delete req.session.totpEnrolSecret;
        req.session.recoveryCodes = codes;
        res.redirect(303, '/account/two-factor/recovery-codes');
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        await enrolPage(req, res, 400, err.errors);
      }
    }),
  );

  router.get(
    '/account/two-factor/recovery-codes',
    signedIn((req, res) => {
      const codes = req.session.recoveryCodes;
      // Shown once: a reload, or another visit, does not show them again.
      delete req.session.recoveryCodes;
      if (!codes) return res.redirect(303, '/account/two-factor');
      res.render('pages/account/recoveryCodes', { title: 'Your recovery codes', codes });
    }),
  );

  router.post(
    '/account/two-factor/recovery-codes',
    signedIn(async (req, res) => {
      if (!twoFactor.isEnrolled(req.user)) return res.redirect(303, '/account/two-factor');
      req.session.recoveryCodes = await twoFactor.replaceRecoveryCodes(req.user);
      res.redirect(303, '/account/two-factor/recovery-codes');
    }),
  );

  router.post(
    '/users/:id/reset-two-factor',
    requireRole('coordinator')(async (req, res) => {
      const u = users.get(String(req.params.id));
      if (!u) throw notFound();
      await twoFactor.reset(req.user.email, u.id);
      req.session.flash = {
        text: `${u.name}’s two-factor authentication was reset: their authenticator app and recovery codes no longer work.`,
      };
      res.redirect(303, '/users');
    }),
  );

  return router;
}
