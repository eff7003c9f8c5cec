import type { Response } from 'express';

/**
 * A page for people without an account: the page, then `views/public/layout.ejs` around it (no staff
 * navigation, no sign-in, the public privacy notice). Never stored by a browser or a proxy; the app's
 * `Referrer-Policy: same-origin` keeps the address (which holds a personal link) from other sites, while
 * the browser still sends the Origin the routes check on a form.
 */
export async function renderPublic(
  res: Response,
  page: string,
  model: Record<string, unknown>,
  /** Default: 400 when `model.errors` has any (the form is shown again with them), else 200. */
  status?: number,
): Promise<void> {
  res.set('Cache-Control', 'no-store');
  res.set('X-Robots-Tag', 'noindex, nofollow');
  const errors = (model.errors ?? {}) as object;
  const hasErrors = Object.keys(errors).length > 0;
  const render = (view: string, locals: Record<string, unknown>) =>
    new Promise<string>((resolve, reject) =>
      res.render(view, { ...locals, layout: false }, (err, html) => (err ? reject(err) : resolve(html))),
    );
  // Which public service the page belongs to: its name in the header, its home and its privacy notice.
  const service = page.startsWith('public/hire')
    ? { name: 'Book a council hall', home: '/hire', privacy: { href: '/hire/privacy', text: 'Privacy' } }
    : {
        name: 'School Prevent return',
        home: null,
        privacy: { href: '/r/privacy', text: 'How we use your information' },
      };
  const body = await render(page, { errors: {}, ...model, hasErrors });
  res
    .status(status ?? (hasErrors ? 400 : 200))
    .type('html')
    .send(await render('public/layout', { ...model, hasErrors, body, service }));
}
