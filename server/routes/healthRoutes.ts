import { Router } from 'express';
import type { Store } from '../../data/store/store.js';

/** `GET /health`: `ok`, or `degraded` with the reason (503) while saving is paused after a failed write. */
export function healthRoutes(store: Store) {
  const router = Router();
  router.get('/health', (_req, res) => {
    const health = store.health();
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });
  return router;
}
