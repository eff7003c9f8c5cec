import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

const govuk = fileURLToPath(new URL('../../node_modules/govuk-frontend/dist/govuk/', import.meta.url));
const ownStatic = fileURLToPath(new URL('../../views/static/', import.meta.url));

/** GOV.UK Frontend's CSS, JS, fonts and images at /assets (its CSS expects /assets/fonts), then ours. */
export function setUpStaticAssets() {
  const router = Router();
  const opts = { maxAge: '1h', index: false, fallthrough: true } as const;
  router.use('/assets', express.static(`${govuk}assets`, opts));
  router.use('/assets', express.static(govuk, { ...opts, extensions: [] }));
  router.use('/assets', express.static(ownStatic, opts));
  return router;
}
