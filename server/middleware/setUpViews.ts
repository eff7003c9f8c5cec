import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import type express from 'express';
import type { Response } from 'express';

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

/** Stand-ins for the per-request values in a kept page: random, so no page content can contain them. */
const NONCE_SLOT = `nonce-slot-${randomBytes(12).toString('hex')}`;
const CSRF_SLOT = `csrf-slot-${randomBytes(12).toString('hex')}`;
type PagePart = Buffer | string;
/** A kept page: its parts, and buffers already sent that can carry it again. */
interface KeptPage {
  parts: PagePart[];
  spare: Buffer[];
}

/** A rendered page cut at its slots: the fixed text as bytes, the slots as themselves. */
function cutAtSlots(html: string): KeptPage {
  const parts: PagePart[] = [];
  for (const piece of html.split(new RegExp(`(${NONCE_SLOT}|${CSRF_SLOT})`))) {
    if (piece === NONCE_SLOT || piece === CSRF_SLOT) parts.push(piece);
    else if (piece !== '') parts.push(Buffer.from(piece));
  }
  return { parts, spare: [] };
}

/**
 * A whole page (body and layout) kept as bytes until the data changes, for a page many people load over
 * and over (the dashboard, a page of a long list). The body is kept per `key` as `createPageBodyCache`
 * does; the layout around it depends on who is signed in and the address (name, navigation for their
 * role), so the page is kept per body, user and address, with the request's own CSP nonce and CSRF token
 * put in on every request. `key` must name everything the page shows from the request (the query's
 * values, the user, the day) so that the model, which `model()` makes, is only made when the page is not
 * kept. A page with a message to show once (flash) is never kept. Off outside production, where templates
 * may change.
 */
export function createPageCache(opts: { enabled: boolean; maxEntries?: number }) {
  const max = opts.maxEntries ?? 500;
  const bodies = createPageBodyCache(opts);
  let revision = -1;
  const pages = new Map<string, KeptPage>();
  // Bytes of sent buffers held for reuse across the pages; replaced when the pages are dropped, so buffers
  // still out then count against the dropped pages' total, not this one.
  let spareHeld = { bytes: 0 };
  const dropPages = () => {
    pages.clear();
    spareHeld = { bytes: 0 };
  };
  /** Renders the layout around a page's body with slots for the request's values, and keeps the page. */
  function keep(res: Response, page: string, title: string, pageKey: string, pageHtml: string) {
    return new Promise<KeptPage>((resolve, reject) =>
      res.render(page, { title, pageHtml, cspNonce: NONCE_SLOT, csrfToken: CSRF_SLOT }, (err, html) => {
        if (err) return reject(err);
        const kept = cutAtSlots(html);
        if (pages.size >= max) dropPages();
        pages.set(pageKey, kept);
        resolve(kept);
      }),
    );
  }

  /**
   * Sends the page. A kept page is sent at once and nothing is returned; otherwise a promise that settles
   * once the page is made and sent (an error in making it rejects it).
   */
  return function sendPage(
    res: Response,
    page: string,
    title: string,
    key: string,
    dataRevision: number,
    model: () => Record<string, unknown>,
  ): Promise<void> | undefined {
    if (res.locals.flash) {
      res.render(page, { title, ...model() });
      return;
    }
    if (!opts.enabled)
      return bodies(page, { ...model(), flash: null }, key, dataRevision).then((pageHtml) =>
        res.render(page, { title, pageHtml }),
      );
    if (revision !== dataRevision) {
      dropPages();
      revision = dataRevision;
    }
    const { user, currentPath } = res.locals;
    const pageKey = JSON.stringify([
      page,
      key,
      title,
      currentPath,
      user?.id,
      user?.role,
      user?.name,
      user?.email,
    ]);
    const kept = pages.get(pageKey);
    if (kept) {
      sendKept(res, kept, spareHeld);
      return;
    }
    return bodies(page, { ...model(), flash: null }, key, dataRevision)
      .then((pageHtml) => keep(res, page, title, pageKey, pageHtml))
      .then((made) => sendKept(res, made, spareHeld));
  };
}

/** Bytes of sent buffers a page cache holds for reuse, across its pages (see sendKept). */
const SPARE_BYTES = 4 * 1024 * 1024;

/**
 * A kept page's fixed bytes with the slots filled in, copied into one buffer and sent in one piece (a write
 * per part cost more than the copy). The page is complete before `end`, which holds it back until a changed
 * session is saved, so the browser never has the page before its session (a new CSRF token) is stored.
 * Once the answer is finished (its bytes handed to the system) the buffer carries the page's next answer,
 * instead of a new one per request; a cache holds at most SPARE_BYTES of them (`held.bytes`).
 */
function sendKept(res: Response, kept: KeptPage, held: { bytes: number }): void {
  const nonce = String(res.locals.cspNonce);
  const csrf = String(res.locals.csrfToken);
  let length = 0;
  for (const p of kept.parts)
    length += typeof p !== 'string' ? p.length : Buffer.byteLength(p === NONCE_SLOT ? nonce : csrf);
  let page = kept.spare.pop();
  if (page) held.bytes -= page.length;
  if (page?.length !== length) page = Buffer.allocUnsafe(length);
  let at = 0;
  for (const p of kept.parts) {
    if (typeof p !== 'string') at += p.copy(page, at);
    else at += page.write(p === NONCE_SLOT ? nonce : csrf, at);
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', length);
  // (To a HEAD request Node sends the headers alone.)
  const sent = page;
  res.end(sent, () => {
    if (held.bytes + length > SPARE_BYTES) return;
    held.bytes += length;
    kept.spare.push(sent);
  });
}
