import type { User } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
import { InputError } from '../errors.js';
import {
  checkTotp,
  groupedSecret,
  looksLikeRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normaliseCode,
  qrCodeSvg,
  recoveryCodeHash,
  totpUri,
} from './totp.js';

export type SecondFactor = 'authenticator code' | 'recovery code';

const hashesOf = (u: User) => (u.recoveryCodeHashes ?? '').split(' ').filter(Boolean);

/** What is wrong with a typed security code before it is checked, in the words of GOV.UK's pattern. */
export function securityCodeProblem(typed: string): string | null {
  const code = normaliseCode(typed);
  if (!code) return 'Enter the security code';
  if (!/^\d+$/.test(code)) return 'The security code must only include numbers';
  if (code.length !== 6) return 'The security code must be 6 numbers';
  return null;
}

export const WRONG_CODE = 'The security code is not right. Enter the code your authenticator app shows now';

const codeError = (text: string) => new InputError({ code: { text, href: '#code' } });

/**
 * TOTP two-factor for password accounts (SPEC §15): enrolment, the check at sign-in (a code accepted once,
 * recovery codes used once), and a coordinator's reset. Every change goes through the store, so the
 * audit log records who did it (secrets only as fingerprints).
 */
export function createTwoFactorService(store: Store) {
  const nowIso = () => store.now().toISOString();

  return {
    isEnrolled: (u: User) => Boolean(u.totpSecret),

    recoveryCodesLeft: (u: User) => hashesOf(u).length,

    /** A secret for a new enrolment; the caller keeps it (in the session) until a first code confirms it. */
    newSecret: newTotpSecret,

    /** What the enrolment page shows: the secret as text and as a QR code. */
    async enrolmentDetails(user: User, secret: string) {
      return { secretText: groupedSecret(secret), qrSvg: await qrCodeSvg(totpUri(secret, user.email)) };
    },

    /** Turns two-factor on once the app's first code matches; returns the recovery codes, to show once. */
    async confirm(user: User, secret: string, code: string): Promise<string[]> {
      const problem = securityCodeProblem(code);
      if (problem) throw codeError(problem);
      const step = checkTotp(secret, code, store.now().getTime(), 0);
      if (step === null) throw codeError(WRONG_CODE);
      const codes = newRecoveryCodes();
      await store.transact(user.email, (tx) => {
        if (store.get('users', user.id)?.totpSecret) {
          throw codeError('Two-factor authentication is already set up for your account');
        }
        return tx.update('users', user.id, {
          totpSecret: secret,
          totpLastStep: step,
          totpEnabledAt: nowIso(),
          recoveryCodeHashes: codes.map(recoveryCodeHash).join(' '),
        });
      });
      return codes;
    },

    /**
     * The second step of a password sign-in: an authenticator code for a later time step than the last one
     * accepted, or an unused recovery code (then crossed off). Checked and recorded in one transaction,
     * so two requests racing with the same code cannot both pass. Null when the code is not accepted.
     */
    async verify(userId: string, typed: string): Promise<SecondFactor | null> {
      const user = store.get('users', userId);
      if (!user) return null;
      return store.transact(user.email, (tx): SecondFactor | null => {
        const u = store.get('users', userId);
        if (!u?.totpSecret) return null;
        if (looksLikeRecoveryCode(typed)) {
          const hash = recoveryCodeHash(typed);
          const left = hashesOf(u);
          if (!left.includes(hash)) return null;
          tx.update('users', u.id, { recoveryCodeHashes: left.filter((h) => h !== hash).join(' ') });
          return 'recovery code';
        }
        const step = checkTotp(u.totpSecret, typed, store.now().getTime(), u.totpLastStep ?? 0);
        if (step === null) return null;
        tx.update('users', u.id, { totpLastStep: step });
        return 'authenticator code';
      });
    },

    /** New recovery codes for an enrolled user (the old ones stop working); returned to show once. */
    async replaceRecoveryCodes(user: User): Promise<string[]> {
      const codes = newRecoveryCodes();
      await store.transact(user.email, (tx) => {
        if (!store.get('users', user.id)?.totpSecret)
          throw codeError('Set up two-factor authentication first');
        return tx.update('users', user.id, { recoveryCodeHashes: codes.map(recoveryCodeHash).join(' ') });
      });
      return codes;
    },

    /** A coordinator removes a user's second factor (a lost phone): they enrol again at their next sign-in. */
    async reset(actor: string, userId: string): Promise<User> {
      return store.transact(actor, (tx) => {
        if (!store.get('users', userId)) throw new InputError({ id: { text: 'No such user', href: '#' } });
        return tx.update('users', userId, {
          totpSecret: null,
          totpLastStep: 0,
          totpEnabledAt: null,
          recoveryCodeHashes: '',
        });
      });
    },
  };
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;
