import { areaReaders } from '../../checks/permissions.js';
import { Router } from 'express';
import { formatDateTime } from '../../checks/londonDates.js';
import { roles } from '../../data/schemas/accountSchemas.js';
import { signIn } from '../auth/signIn.js';
import { str, strs } from '../forms/formHelpers.js';
import { shownFingerprint } from '../forms/shownFields.js';
import { userFormShows } from '../services/userService.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { listPage, readQuery, sendListCsv, sortRows } from '../lists/list.js';
import { filterText } from '../lists/listQuery.js';
import { USERS, type UserRow } from './userColumns.js';
import { type InvitationSent, roleNames } from '../services/invitationService.js';
import { InputError, saveForm, notFound } from '../errors.js';

export { roleNames };

/** What the users page says once after an invitation: sent, or the link to pass on when it could not be. */
export interface InvitationNotice {
  email: string;
  sent: boolean;
  link: string | null;
  error: string | null;
}

function noticeOf(sent: InvitationSent): InvitationNotice {
  return {
    email: sent.user.email,
    sent: sent.via === 'smtp',
    // Without a mail server (or when it failed) the coordinator passes the link on, as with one-time passwords.
    link: sent.via === 'smtp' ? null : sent.link,
    error: sent.error ?? null,
  };
}

export function userRoutes({ users, sessions, store, signInThrottle, invitations }: Services) {
  const router = Router();
  const coordinator = requireRole('coordinator');
  const libraries = () =>
    ((store.data as unknown as { libraries?: { id: string; name: string }[] }).libraries ?? []).map((l) => ({
      value: l.id,
      text: l.name,
    }));

  router.get('/users', requireRole(...areaReaders.users), (req, res) => {
    const oneTime = req.session.oneTimePassword;
    delete req.session.oneTimePassword;
    const invitation = req.session.invitation;
    delete req.session.invitation;
    const now = store.now().toISOString();
    const query = readQuery(req.query, USERS);
    const words = filterText(req.query, 'q', query.notices).toLowerCase();
    const rows = users
      .list()
      .filter((u) => !words || `${u.name} ${u.email}`.toLowerCase().includes(words))
      .map(
        (u): UserRow => ({
          ...u,
          lockedText: signInThrottle.isLocked(u) ? formatDateTime(u.lockedUntil) : null,
          invited: Boolean(u.invitationTokenHash),
          invitationExpired: Boolean(u.invitationTokenHash && (u.invitationExpiresAt ?? '') <= now),
        }),
      );
    const sorted = sortRows(rows, USERS.columns, query);
    if (query.csv) return sendListCsv(res, USERS, sorted);
    const list = listPage(USERS, sorted, query, { q: words });
    res.render('pages/users/list', {
      title: 'Users',
      list,
      q: words,
      users: list.rows,
      roleNames,
      oneTime: oneTime ?? null,
      invitation: invitation ?? null,
    });
  });

  router.get('/users/new', coordinator, (_req, res) => {
    res.render('pages/users/form', {
      title: 'Add a user',
      values: {},
      errors: {},
      roles,
      roleNames,
      libraries: libraries(),
    });
  });

  router.post(
    '/users',
    coordinator(async (req, res) => {
      const input = {
        name: str(req.body, 'name'),
        email: str(req.body, 'email'),
        role: str(req.body, 'role'),
        libraryIds: strs(req.body, 'libraryIds'),
      };
      const saved = await saveForm(async () => {
        const sent = await invitations.invite(req.user.email, req.user.name, input);
        req.session.invitation = noticeOf(sent);
        res.redirect(303, '/users');
      });
      if (!saved.ok) {
        res.status(400).render('pages/users/form', {
          title: 'Add a user',
          values: input,
          errors: saved.errors,
          hasErrors: true,
          roles,
          roleNames,
          libraries: libraries(),
        });
      }
    }),
  );

  const renderEdit = (
    res: import('express').Response,
    user: NonNullable<ReturnType<typeof users.get>>,
    values: Record<string, unknown>,
    errors: Record<string, { text: string; href: string }> = {},
  ) =>
    res.status(Object.keys(errors).length ? 400 : 200).render('pages/users/edit', {
      title: `Change ${user.name}`,
      account: user,
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      roles,
      roleNames,
      libraries: libraries(),
    });

  router.get('/users/:id/edit', coordinator, (req, res) => {
    const u = users.get(String(req.params.id));
    if (!u) throw notFound();
    renderEdit(res, u, {
      name: u.name,
      role: u.role,
      libraryIds: u.libraryIds,
      version: u.version,
      shown: shownFingerprint(userFormShows(u)),
    });
  });

  router.post(
    '/users/:id',
    coordinator(async (req, res) => {
      const u = users.get(String(req.params.id));
      if (!u) throw notFound();
      const input = {
        name: str(req.body, 'name'),
        role: str(req.body, 'role'),
        libraryIds: strs(req.body, 'libraryIds'),
      };
      if (u.id === req.user.id && input.role !== 'coordinator')
        return renderEdit(
          res,
          u,
          { ...input, version: req.body?.version, shown: str(req.body, 'shown') },
          {
            role: { text: 'You cannot change your own role: ask another coordinator', href: '#role' },
          },
        );
      // The record is updated in place, so its epoch is read before the change.
      const epochBefore = u.sessionEpoch;
      try {
        const updated = await users.update(
          req.user.email,
          u.id,
          input,
          Number(req.body?.version),
          str(req.body, 'shown') || undefined,
        );
        if (updated.sessionEpoch !== epochBefore) await sessions.destroyAllFor(u.id);
        req.session.flash = { text: `${updated.name}'s account was changed` };
        res.redirect(303, '/users');
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        renderEdit(
          res,
          u,
          { ...input, version: req.body?.version, shown: str(req.body, 'shown') },
          err.errors,
        );
      }
    }),
  );

  router.post(
    '/users/:id/invite',
    coordinator(async (req, res) => {
      const u = users.get(String(req.params.id));
      if (!u) throw notFound();
      if (!u.active) {
        req.session.flash = { text: `${u.name}'s account is deactivated: reactivate it first` };
        return res.redirect(303, '/users');
      }
      const sent = await invitations.resend(req.user.email, req.user.name, u.id);
      req.session.invitation = noticeOf(sent);
      res.redirect(303, '/users');
    }),
  );

  router.post(
    '/users/:id/deactivate',
    coordinator(async (req, res) => {
      const u = users.get(String(req.params.id));
      if (!u) throw notFound();
      if (u.id === req.user.id) {
        req.session.flash = { text: 'You cannot deactivate your own account' };
        return res.redirect(303, '/users');
      }
      await users.setActive(req.user.email, u.id, false);
      await sessions.destroyAllFor(u.id);
      req.session.flash = { text: `${u.name} was deactivated and signed out` };
      res.redirect(303, '/users');
    }),
  );

  router.post(
    '/users/:id/reactivate',
    coordinator(async (req, res) => {
      const u = users.get(String(req.params.id));
      if (!u) throw notFound();
      await users.setActive(req.user.email, u.id, true);
      req.session.flash = { text: `${u.name} was reactivated` };
      res.redirect(303, '/users');
    }),
  );

  router.post(
    '/users/:id/unlock',
    coordinator(async (req, res) => {
      const u = users.get(String(req.params.id));
      if (!u) throw notFound();
      await users.unlock(req.user.email, u.id);
      req.session.flash = { text: `${u.name} was unlocked and can sign in again` };
      res.redirect(303, '/users');
    }),
  );

  router.post(
    '/users/:id/reset-password',
    coordinator(async (req, res) => {
      const u = users.get(String(req.params.id));
      if (!u) throw notFound();
      const { user, password } = await users.resetPassword(req.user.email, u.id);
      await sessions.destroyAllFor(u.id);
      if (u.id === req.user.id) {
        // Their own: this session ended with the others, so a new one carries them to choosing a password.
        const session = await signIn(sessions, req, user, 'password');
        session.flash = {
          title: 'Your password was reset',
          text: `Your one-time password is ${password} — enter it below as your current password, then choose a new one.`,
        };
        return res.redirect(303, '/account/password');
      }
      req.session.oneTimePassword = { email: user.email, password };
      res.redirect(303, '/users');
    }),
  );

  return router;
}
