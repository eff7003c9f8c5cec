import { type Request, type Response, Router } from 'express';
import { type Removal, removalConfirmed, renderRemoval } from '../forms/removal.js';
import { discardRestOfBody, isMultipart, readUploadForm } from '../forms/uploadForm.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import { CsrfError, tokenMatches } from '../middleware/setUpCsrf.js';
import type { Services } from '../services/createServices.js';
import { FILE_INPUT } from '../services/evidenceService.js';
import { InputError } from '../errors.js';
import { checkPageRenderer } from './reviewCheckPage.js';
import { reviewPageRenderer } from './reviewPage.js';

/**
 * The upload's path: a multipart request to it is passed through the app-wide CSRF check, because this
 * route checks the token itself, before it reads the file (see setUpCsrf).
 */
export const EVIDENCE_UPLOAD_PATH = /^\/reviews\/[^/]+\/evidence\/?$/;

/** Evidence files on a review: upload and remove while it is a draft, download whenever it can be seen. */
export function evidenceRoutes(services: Services) {
  const { evidence } = services;
  const router = Router();
  const renderReview = reviewPageRenderer(services);
  const renderCheck = checkPageRenderer(services);
  /**
   * Evidence is added and removed within the review's journey, on "check your answers" (issue 20, item
   * 1): while the review is a draft, every upload and removal comes back there; a submitted review's
   * evidence shows on its page.
   */
  const isDraft = (reviewId: string) => services.store.get('reviews', reviewId)?.status === 'draft';
  const backTo = (reviewId: string) => `/reviews/${reviewId}${isDraft(reviewId) ? '/check' : ''}#evidence`;

  function show(
    req: Request,
    res: Response,
    reviewId: string,
    errors: InputError['errors'],
    description = '',
  ) {
    if (isDraft(reviewId)) {
      return renderCheck(res, req.user, reviewId, { errors, evidenceDescription: description });
    }
    renderReview(res, req.user, reviewId, { errors, evidenceDescription: description });
  }

  function refuse(req: Request, res: Response, reviewId: string, err: InputError, description = '') {
    discardRestOfBody(req, res);
    show(req, res, reviewId, err.errors, description);
  }

  router.post(
    '/reviews/:id/evidence',
    anyRole()(async (req, res) => {
      const reviewId = String(req.params.id);
      // Rights and room first (404 / 403 / a full or submitted review): nothing of the body is read.
      try {
        evidence.checkRoom(req.user, reviewId);
      } catch (err) {
        if (err instanceof InputError) return refuse(req, res, reviewId, err);
        discardRestOfBody(req, res);
        throw err;
      }
      if (!isMultipart(req)) {
        return refuse(
          req,
          res,
          reviewId,
          new InputError({ file: { text: 'Select a file to upload', href: `#${FILE_INPUT}` } }),
        );
      }
      const form = await readUploadForm(req, {
        fileField: 'file',
        maxBytes: evidence.maxBytes,
        tokenOk: (token) => tokenMatches(token, req.session.csrfToken),
        openSink: () => evidence.receive(),
      });
      if (form.tokenRefused || (!form.tooLarge && !tokenMatches(form.fields._csrf, req.session.csrfToken))) {
        if (form.file) await evidence.folder.discard(form.file.received.file);
        discardRestOfBody(req, res);
        throw new CsrfError();
      }
      const description = form.fields.description ?? '';
      if (form.unreadable) {
        return refuse(
          req,
          res,
          reviewId,
          new InputError({
            file: {
              text: 'The file could not be read: the upload was cut short. Try again',
              href: `#${FILE_INPUT}`,
            },
          }),
          description,
        );
      }
      try {
        const added = await evidence.add(req.user, reviewId, {
          description,
          filename: form.file?.filename ?? null,
          received: form.file?.received ?? null,
          tooLarge: form.tooLarge,
        });
        req.session.flash = { text: `${added.filename} was added to the evidence` };
      } catch (err) {
        if (err instanceof InputError) return refuse(req, res, reviewId, err, description);
        throw err;
      }
      res.redirect(303, backTo(reviewId));
    }),
  );

  /** Removing a file asks first (SPEC §17): this page names it; only its "Yes, remove" removes. */
  const fileRemoval = (
    user: Parameters<typeof evidence.removable>[0],
    reviewId: string,
    evidenceId: string,
  ) => {
    const { evidence: file } = evidence.removable(user, reviewId, evidenceId);
    const removal: Removal = {
      heading: 'Remove this file from the evidence?',
      rows: [
        { key: 'File', value: file.filename },
        { key: 'What the file shows', value: file.description },
      ],
      warning: 'The file is deleted for good. Upload it again if you need it.',
      action: `/reviews/${reviewId}/evidence/${file.id}/remove`,
      backHref: backTo(reviewId),
      button: 'Yes, remove this file',
    };
    return removal;
  };

  router.get(
    '/reviews/:id/evidence/:evidenceId/remove',
    anyRole()((req, res) => {
      const reviewId = String(req.params.id);
      try {
        renderRemoval(res, fileRemoval(req.user, reviewId, String(req.params.evidenceId)));
      } catch (err) {
        if (err instanceof InputError) return show(req, res, reviewId, err.errors);
        throw err;
      }
    }),
  );

  router.post(
    '/reviews/:id/evidence/:evidenceId/remove',
    anyRole()(async (req, res) => {
      const reviewId = String(req.params.id);
      try {
        if (!removalConfirmed(req.body))
          return renderRemoval(res, fileRemoval(req.user, reviewId, String(req.params.evidenceId)));
        const removed = await evidence.remove(req.user, reviewId, String(req.params.evidenceId));
        req.session.flash = { text: `${removed.filename} was removed from the evidence` };
      } catch (err) {
        if (err instanceof InputError) return show(req, res, reviewId, err.errors);
        throw err;
      }
      res.redirect(303, backTo(reviewId));
    }),
  );

  router.get(
    '/reviews/:id/evidence/:evidenceId/download',
    anyRole()(async (req, res) => {
      const { evidence: file, bytes } = await evidence.download(
        req.user,
        String(req.params.id),
        String(req.params.evidenceId),
      );
      // Served as a download only: never shown inline, never sniffed, and sandboxed if a browser opens it.
      res.attachment(file.filename);
      res.set({
        'Content-Type': file.mediaType.startsWith('text/')
          ? `${file.mediaType}; charset=utf-8`
          : file.mediaType,
        'Content-Length': String(file.size),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "sandbox; default-src 'none'",
        'Cache-Control': 'no-store',
      });
      res.end(bytes);
    }),
  );

  return router;
}
