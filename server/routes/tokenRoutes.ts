import { areaReaders } from '../../checks/permissions.js';
import { Router } from 'express';
import { formatDateTime } from '../../checks/londonDates.js';
import { str } from '../forms/formHelpers.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { saveForm, notFound } from '../errors.js';

/** Coordinators create and revoke API tokens; a new token is shown once, then only its name. */
export function tokenRoutes({ apiTokens }: Services) {
  const router = Router();
  const coordinator = requireRole('coordinator');

  const listPage = (req: Express.Request, extra: Record<string, unknown> = {}) => {
    const shown = req.session.newApiToken;
    delete req.session.newApiToken;
    return {
      title: 'API tokens',
      tokens: apiTokens.list().map((t) => ({
        ...t,
        createdText: formatDateTime(t.createdAt),
        lastUsedText: t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never',
        revokedText: t.revokedAt ? formatDateTime(t.revokedAt) : null,
      })),
      newToken: shown ?? null,
      values: {},
      errors: {},
      ...extra,
    };
  };

  router.get('/tokens', requireRole(...areaReaders.tokens), (req, res) => {
    res.render('pages/tokens/list', listPage(req));
  });

  router.post(
    '/tokens',
    coordinator(async (req, res) => {
      const name = str(req.body, 'name');
      const saved = await saveForm(async () => {
        const { record, token } = await apiTokens.create(req.user.email, name);
        req.session.newApiToken = { name: record.name, token };
        res.redirect(303, '/tokens');
      });
      if (!saved.ok) {
        res
          .status(400)
          .render(
            'pages/tokens/list',
            listPage(req, { values: { name }, errors: saved.errors, hasErrors: true }),
          );
      }
    }),
  );

  router.post(
    '/tokens/:id/revoke',
    coordinator(async (req, res) => {
      const t = apiTokens.get(String(req.params.id));
      if (!t) throw notFound();
      await apiTokens.revoke(req.user.email, t.id);
      req.session.flash = { text: `The token “${t.name}” was revoked; scripts using it can no longer read` };
      res.redirect(303, '/tokens');
    }),
  );

  return router;
}
