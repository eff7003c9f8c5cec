import type { Response } from 'express';

/**
 * Renders a page for people without an account inside the public layout (views/public/layout.ejs): no
 * staff navigation, no account links, the public privacy notice in the footer. A rendering error rejects
 * the promise, which Express 5 passes to the error handler.
 */
export function renderPublic(
  res: Response,
  page: string,
  locals: Record<string, unknown>,
  status = 200,
): Promise<void> {
  return new Promise((resolve, reject) => {
    res.render(page, { ...locals, layout: false }, (err, body) => {
      if (err) return reject(err);
      res.render('public/layout', { ...locals, body, layout: false }, (err2, html) => {
        if (err2) return reject(err2);
        res.status(status).type('html').send(html);
        resolve();
      });
    });
  });
}
