import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import type express from 'express';

export const viewsDir = fileURLToPath(new URL('../../views/', import.meta.url));
const layoutPath = `${viewsDir}layout.ejs`;

/**
 * How EJS finds and compiles templates. Every include is absolute (`include('/partials/govuk/tag', …)`)
 * and resolved against `root`: EJS then joins paths without asking the file system whether each
 * candidate exists (as it does for relative includes), so a cached template renders without any
 * file-system call.
 */
export function ejsOptions(cache: boolean) {
  // Cached (production) templates leave out the line tracking that only makes error messages precise.
  return { root: viewsDir, views: [viewsDir], cache, compileDebug: !cache };
}

/**
 * EJS with one layout: a page renders to a string, then `layout.ejs` wraps it. A page that sets
 * `layout: false` (e.g. a printable document) is sent as it is. In production compiled templates are
 * cached ("view cache").
 */
export function setUpViews(app: express.Express, production: boolean): void {
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  // Pages carry a per-request CSRF token and CSP nonce, so an ETag (a hash of every page) never matches.
  app.set('etag', false);
  if (production) app.enable('view cache');
  app.engine('ejs', (file, options, done) => {
    const opts = options as Record<string, unknown> & {
      layout?: boolean;
      cache?: boolean;
      pageHtml?: string;
    };
    const ejsOpts = ejsOptions(Boolean(opts.cache));
    const renderPage = (cb: (err: Error | null, body?: string) => void) =>
      typeof opts.pageHtml === 'string' ? cb(null, opts.pageHtml) : ejs.renderFile(file, opts, ejsOpts, cb);
    renderPage((err, body) => {
      if (err) return done(err);
      if (opts.layout === false) return done(null, body);
      ejs.renderFile(layoutPath, { ...opts, body, serviceName: 'Due Regard' }, ejsOpts, done);
    });
  });
}

/**
 * A page body (the page without the layout) rendered from its model alone and kept until the data changes:
 * for a page many people load over and over (the dashboard). The body sees only `model`, never the
 * request's locals (CSRF token, user, flash), so one person's body can never carry another's request
 * data; the layout around it is rendered per request. Pass the body to `res.render` as `pageHtml`. Only
 * with the view cache on (production): elsewhere templates may change on disk, so every body is rendered.
 */
export function createPageBodyCache(opts: { enabled: boolean; maxEntries?: number }) {
  const max = opts.maxEntries ?? 500;
  let revision = -1;
  const bodies = new Map<string, string>();
  return async function body(
    page: string,
    model: Record<string, unknown>,
    key: string,
    dataRevision: number,
  ): Promise<string> {
    if (revision !== dataRevision) {
      bodies.clear();
      revision = dataRevision;
    }
    const cacheKey = `${page}|${key}`;
    const kept = opts.enabled ? bodies.get(cacheKey) : undefined;
    if (kept !== undefined) return kept;
    const html = await ejs.renderFile(`${viewsDir}${page}.ejs`, model, ejsOptions(opts.enabled));
    if (opts.enabled) {
      if (bodies.size >= max) bodies.clear();
      bodies.set(cacheKey, html);
    }
    return html;
  };
}
