import { notFound } from '../errors.js';
import { areaReaders } from '../../checks/permissions.js';
import { type Response, Router } from 'express';
import { importKindLabels, importKindNames, importKindsFor, mayImport } from '../../checks/importRules.js';
import { formatDateTime } from '../../checks/londonDates.js';
import { type ImportKind, importKindSchema } from '../../data/schemas/importSchemas.js';
import { discardRestOfBody, isMultipart, readUploadForm } from '../forms/uploadForm.js';
import { requireRole, type SignedInRequest } from '../middleware/setUpAuthentication.js';
import { CsrfError, tokenMatches } from '../middleware/setUpCsrf.js';
import type { Services } from '../services/createServices.js';
import { sampleCategories } from '../services/importPlan.js';
import { ImportBusyError } from './importPreviews.js';
import { PreviewOutdatedError } from './importService.js';

/** The upload's path: its multipart body skips the app-wide CSRF check, as this route checks the token first. */
export const IMPORT_UPLOAD_PATH = /^\/imports\/?$/;

type FieldErrors = Record<string, { text: string; href: string }>;

/** Headings of a preview's four lists, in the order shown. */
const CATEGORY_NAMES = {
  created: 'To add',
  updated: 'To update',
  unchanged: 'To leave unchanged',
  skipped: 'To skip',
} as const;
const DONE_NAMES = {
  created: 'Added',
  updated: 'Updated',
  unchanged: 'Left unchanged',
  skipped: 'Skipped',
} as const;

/** SPEC §10 bound on the text fields beside the file. */
const MAX_FIELD = 200;

/** Imports in the browser (SPEC §12): upload, preview, apply, history. */
export function importRoutes({ imports, store }: Services) {
  const router = Router();
  const importers = requireRole(...areaReaders.imports);
  /** The importer by name (the CLI imports as "cli"). */
  const whoImported = (actor: string) =>
    actor === 'cli'
      ? 'the command line'
      : (store.list('users').find((u) => u.email === actor)?.name ?? actor);

  async function renderIndex(
    req: SignedInRequest,
    res: Response,
    status = 200,
    errors: FieldErrors = {},
    values = {},
  ) {
    const user = req.user;
    const kinds = importKindsFor(user.role);
    const open = await imports.openFor(user);
    const history = store
      .list('imports')
      .filter((r) => kinds.includes(r.kind))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, 200);
    res.status(status).render('pages/imports/index', {
      title: 'Imports',
      errors,
      hasErrors: Object.keys(errors).length > 0,
      values,
      kinds: kinds.map((k) => ({ value: k, text: importKindLabels[k] })),
      maxMb: Math.round(imports.maxBytes / 1_048_576),
      open: open.map((p) => ({ ...p, kindName: importKindNames[p.kind] })),
      history: history.map((r) => ({
        ...r,
        kindName: importKindNames[r.kind],
        when: formatDateTime(r.createdAt),
        who: whoImported(r.importedBy),
      })),
    });
  }

  router.get(
    '/imports',
    importers((req, res) => renderIndex(req, res)),
  );

  router.post(
    '/imports',
    importers(async (req, res) => {
      const user = req.user;
      const refuse = (status: number, errors: FieldErrors, values: Record<string, unknown> = {}) => {
        discardRestOfBody(req, res);
        return renderIndex(req, res, status, errors, values);
      };
      if (!isMultipart(req)) return refuse(400, { file: { text: 'Select a file to import', href: '#file' } });
      let refusal: { status: number; errors: FieldErrors } | null = null;
      let reserved: ImportKind | null = null;
      const form = await readUploadForm(req, {
        fileField: 'file',
        maxBytes: imports.maxBytes,
        // The token, then the kind (allowed for the role, none of it in progress): before any of the file.
        tokenOk(token, fields) {
          if (!tokenMatches(token, req.session.csrfToken)) return false;
          const kind = importKindSchema.safeParse(fields.kind);
          if (!kind.success) {
            refusal = {
              status: 400,
              errors: { kind: { text: 'Select what you are importing', href: '#kind' } },
            };
            return false;
          }
          if (!mayImport(user.role, kind.data)) {
            refusal = {
              status: 403,
              errors: { kind: { text: 'Your role cannot import this kind of file', href: '#kind' } },
            };
            return false;
          }
          try {
            imports.reserve(kind.data);
          } catch (err) {
            if (!(err instanceof ImportBusyError)) throw err;
            refusal = { status: 409, errors: { kind: { text: err.message, href: '#kind' } } };
            return false;
          }
          reserved = kind.data;
          return true;
        },
        openSink: () => imports.receive(),
      });
      const csrfOk = tokenMatches(form.fields._csrf, req.session.csrfToken);
      const release = async () => {
        if (reserved) imports.release(reserved);
        if (form.file) await imports.discard(form.file.received);
      };
      const values = {
        kind: form.fields.kind,
        la: (form.values.la ?? []).join('\n'),
        source: form.fields.source,
      };
      if (!csrfOk && !form.tooLarge) {
        await release();
        discardRestOfBody(req, res);
        throw new CsrfError();
      }
      const refused = refusal as { status: number; errors: FieldErrors } | null;
      if (refused) return refuse(refused.status, refused.errors, values);
      if (form.tooLarge || form.unreadable || !form.file || !reserved) {
        await release();
        const kindChosen = importKindSchema.safeParse(form.fields.kind).success;
        const errors: FieldErrors = form.tooLarge
          ? {
              file: {
                text: `The file must be smaller than ${Math.round(imports.maxBytes / 1_048_576)} MB`,
                href: '#file',
              },
            }
          : form.unreadable
            ? {
                file: {
                  text: 'The file could not be read: the upload was cut short. Try again',
                  href: '#file',
                },
              }
            : kindChosen
              ? { file: { text: 'Select a file to import', href: '#file' } }
              : { kind: { text: 'Select what you are importing', href: '#kind' } };
        return refuse(400, errors, values);
      }
      const kind: ImportKind = reserved;
      const la = (form.values.la ?? [])
        .flatMap((v) => v.split(/\r?\n/))
        .map((s) => s.trim())
        .filter(Boolean);
      const source = (form.fields.source ?? '').trim();
      const errors: FieldErrors = {};
      if (la.some((s) => s.length > MAX_FIELD))
        errors.la = { text: `Each local authority must be ${MAX_FIELD} characters or fewer`, href: '#la' };
      if (source.length > MAX_FIELD)
        errors.source = { text: `The source must be ${MAX_FIELD} characters or fewer`, href: '#source' };
      if (Object.keys(errors).length > 0) {
        await release();
        return refuse(400, errors, values);
      }
      const preview = await imports.start(user, kind, form.file, {
        la: kind === 'schools' || kind === 'libraries' ? la : [],
        source: kind === 'watchlist' && source ? source : null,
      });
      res.redirect(303, `/imports/${preview.id}`);
    }),
  );

  async function renderPreview(
    req: SignedInRequest,
    res: Response,
    id: string,
    status = 200,
    errors: FieldErrors = {},
  ) {
    const p = await imports.get(req.user, id);
    if (!p) return false;
    res.status(status).render('pages/imports/preview', {
      title: `${importKindNames[p.kind]} import: ${p.filename}`,
      p,
      kindName: importKindNames[p.kind],
      errors,
      hasErrors: Object.keys(errors).length > 0,
      categories: sampleCategories.map((c) => ({ key: c, name: CATEGORY_NAMES[c] })),
      // While the file is read the page looks again every two seconds.
      refreshSeconds: p.status === 'reading' ? 2 : 0,
    });
    return true;
  }

  router.get(
    '/imports/:id',
    importers(async (req, res) => {
      const id = String(req.params.id);
      if (await renderPreview(req, res, id)) return;
      const record = store.get('imports', id);
      if (!record || !mayImport(req.user.role, record.kind)) throw notFound();
      const notes = req.session.importNotes?.[id] ?? [];
      res.render('pages/imports/done', {
        title: `${importKindNames[record.kind]} import: ${record.filename}`,
        record,
        notes,
        kindName: importKindNames[record.kind],
        when: formatDateTime(record.createdAt),
        who: whoImported(record.importedBy),
        categories: sampleCategories.map((c) => ({ key: c, name: DONE_NAMES[c], count: record[c] })),
      });
    }),
  );

  router.post(
    '/imports/:id/apply',
    importers(async (req, res) => {
      const id = String(req.params.id);
      if (!(await imports.get(req.user, id))) throw notFound();
      try {
        const applied = await imports.apply(req.user, id);
        if (!applied) {
          // Applied meanwhile (here or by another instance): its page is the imported one.
          if (store.get('imports', id)) return res.redirect(303, `/imports/${id}`);
          if (
            !(await renderPreview(req, res, id, 400, {
              apply: { text: 'This file cannot be imported', href: '#apply' },
            }))
          )
            throw notFound();
          return;
        }
        // What else the import did (new halls, bookings sent back…), said once on the imported page.
        req.session.importNotes = { [id]: [...applied.lead, ...applied.notes] };
        req.session.flash = { text: `${applied.preview.filename} was imported` };
        res.redirect(303, `/imports/${id}`);
      } catch (err) {
        if (err instanceof PreviewOutdatedError || err instanceof ImportBusyError) {
          if (await renderPreview(req, res, id, 409, { apply: { text: err.message, href: '#apply' } }))
            return;
          throw notFound();
        }
        throw err;
      }
    }),
  );

  router.post(
    '/imports/:id/refresh',
    importers(async (req, res) => {
      const id = String(req.params.id);
      try {
        if (!(await imports.refresh(req.user, id))) throw notFound();
      } catch (err) {
        if (err instanceof ImportBusyError) {
          if (await renderPreview(req, res, id, 409, { apply: { text: err.message, href: '#apply' } }))
            return;
          throw notFound();
        }
        throw err;
      }
      res.redirect(303, `/imports/${id}`);
    }),
  );

  return router;
}
