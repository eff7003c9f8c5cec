import { Router } from 'express';

export function staticPageRoutes() {
  const router = Router();
  router.get('/accessibility', (_req, res) =>
    res.render('pages/static/accessibility', { title: 'Accessibility statement' }),
  );
  router.get('/privacy', (_req, res) => res.render('pages/static/privacy', { title: 'Privacy notice' }));
  return router;
}
