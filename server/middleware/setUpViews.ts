import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import type express from 'express';

export const viewsDir = fileURLToPath(new URL('../../views/', import.meta.url));
const layoutPath = `${viewsDir}layout.ejs`;

/**
 * EJS with one layout: a page renders to a string, then `layout.ejs` wraps it. A page that sets
 * `layout: false` (e.g. a printable document) is sent as it is.
 */
export function setUpViews(app: express.Express, production: boolean): void {
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  if (production) app.enable('view cache');
  app.engine('ejs', (file, options, done) => {
    const opts = options as Record<string, unknown> & { layout?: boolean; cache?: boolean };
    const ejsOpts = { cache: Boolean(opts.cache), views: [viewsDir] };
    ejs.renderFile(file, opts, ejsOpts, (err, body) => {
      if (err) return done(err);
      if (opts.layout === false) return done(null, body);
      ejs.renderFile(layoutPath, { ...opts, body, serviceName: 'Due Regard' }, ejsOpts, done);
    });
  });
}
