import { InputError } from '../errors.js';
import { createHash, randomBytes } from 'node:crypto';
import type { Role, User } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
import { sendInvitationEmail } from '../../jobs/invitationEmail.js';
import { createMailer } from '../../jobs/mailer.js';
import type { Config } from '../config.js';
import { hashPassword, passwordProblem } from './passwords.js';
import type { NewUser, UserService } from './userService.js';

/** How long an invitation link works (SPEC §12). */
export const INVITATION_HOURS = 72;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export const roleNames: Record<Role, string> = {
  coordinator: 'Prevent coordinator',
  facilities: 'Facilities',
  'library-manager': 'Library manager',
  education: 'Education team',
  viewer: 'Viewer',
};

export interface InvitationSent {
  user: User;
  /** The single-use link (shown to the coordinator only when there is no mail server to send it). */
  link: string;
  /** How it went out: by the mail server, into the outbox folder, or not at all (`error` says why). */
  via: 'smtp' | 'outbox' | 'not sent';
  error?: string;
}

/**
 * Invitations instead of one-time passwords passed on by hand: a new account gets an email with a
 * single-use link, valid 72 hours, to choose its own password. Only the link's SHA-256 is stored; a new
 * invitation replaces the last, and using it (or deactivation) ends it.
 */
export function createInvitationService(store: Store, config: Config, users: UserService) {
  const findValid = (token: string): User | undefined => {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
    const hash = hashOf(token);
    const now = store.now().toISOString();
    return store
      .list('users')
      .find(
        (u) =>
          u.active &&
          u.invitationTokenHash === hash &&
          typeof u.invitationExpiresAt === 'string' &&
          u.invitationExpiresAt > now,
      );
  };

  /** A new single-use link: the token (said once) and what the account keeps of it. */
  function newLink() {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(store.now().getTime() + INVITATION_HOURS * 3_600_000).toISOString();
    return { token, fields: { invitationTokenHash: hashOf(token), invitationExpiresAt: expiresAt } };
  }

  /** The email with the link, once the account holds it (outside any transaction: a mail server can be slow). */
  async function send(user: User, token: string, invitedBy: string, opts: { send: boolean }) {
    const link = `${config.baseUrl}/invitation/${token}`;
    const sent: InvitationSent = { user, link, via: 'not sent' };
    if (!opts.send) return sent;
    const mailer = createMailer({
      smtpUrl: config.smtpUrl,
      outboxDir: config.outboxDir,
      from: config.mailFrom,
    });
    try {
      await sendInvitationEmail(mailer, {
        to: user.email,
        name: user.name,
        invitedBy,
        roleName: roleNames[user.role],
        link,
        expiresAt: user.invitationExpiresAt ?? '',
        id: `${user.id}-${user.version}`,
      });
      sent.via = mailer.via;
    } catch (err) {
      sent.error = (err as Error).message;
    } finally {
      mailer.close();
    }
    return sent;
  }

  return {
    /** Email goes out through a mail server (SMTP_URL), not only into the outbox folder. */
    mailConfigured: config.smtpUrl !== null,

    /** Creates the account (no usable password yet) and invites it. `send: false` only makes the link. */
    async invite(actor: string, invitedBy: string, input: NewUser, opts = { send: true }) {
      const errors = users.validateNew(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      // Nobody knows this password: the account is used only once the invitation sets one. The account
      // and its link are one change.
      const { token, fields } = newLink();
      const { user } = await users.create(
        actor,
        { ...input, libraryIds: input.role === 'library-manager' ? (input.libraryIds ?? []) : [] },
        randomBytes(24).toString('base64url'),
        fields,
      );
      return send(user, token, invitedBy, opts);
    },

    /** "Resend invitation": a new link (the old one stops working) and a new email. */
    async resend(actor: string, invitedBy: string, userId: string) {
      const { token, fields } = newLink();
      const user = await store.transact(actor, (tx) => {
        if (!store.get('users', userId)?.active)
          throw new InputError({ id: { text: 'This account is not active', href: '#' } });
        return tx.update('users', userId, fields);
      });
      return send(user, token, invitedBy, { send: true });
    },

    /** The account an invitation link is for, while it is valid (unknown, used or expired: undefined). */
    userFor: findValid,

    /** Sets the invited user's password and ends the link; the caller signs them in. */
    async accept(token: string, password: string, confirm: string): Promise<User> {
      const user = findValid(token);
      if (!user)
        throw new InputError({
          password: { text: 'This invitation link has expired or was already used', href: '#password' },
        });
      const problem = passwordProblem(password);
      if (problem) throw new InputError({ password: { text: problem, href: '#password' } });
      if (password !== confirm)
        throw new InputError({ confirm: { text: 'The passwords do not match', href: '#confirm' } });
      const passwordHash = await hashPassword(password, config.passwordHashCost);
      return store.transact(user.email, (tx) => {
        // Checked again: the link may have been used or replaced while the password was hashed.
        const current = findValid(token);
        if (!current)
          throw new InputError({
            password: { text: 'This invitation link has expired or was already used', href: '#password' },
          });
        return tx.update('users', current.id, {
          passwordHash,
          mustChangePassword: false,
          invitationTokenHash: null,
          invitationExpiresAt: null,
          sessionEpoch: current.sessionEpoch + 1,
          failedSignIns: [],
          lockedUntil: null,
        });
      });
    },
  };
}

export type InvitationService = ReturnType<typeof createInvitationService>;
