import { areaReaders } from '../../checks/permissions.js';
import { Router } from 'express';
import { filterCategories, policyDocNames, profileGaps } from '../../checks/libraryFiltering.js';
import { formatDate } from '../../checks/londonDates.js';
import type { Library } from '../../data/schemas/librarySchemas.js';
import { str, strs } from '../forms/formHelpers.js';
import { profileFormValues, readFilterTestForm, readProfileForm } from '../forms/libraryForms.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { isClosed } from '../services/libraryService.js';
import { saveForm } from '../errors.js';

const categoryItems = filterCategories.map((c) => ({ value: c, text: c }));

/**
 * The library register. Coordinators see every library; a library manager sees and changes only the
 * libraries assigned to them: any other library answers 404, as if it did not exist.
 */
export function libraryRoutes({ libraries, reviews, flags }: Services) {
  const router = Router();
  const staff = requireRole(...areaReaders.libraries);
  const coordinator = requireRole('coordinator');

  router.get(
    '/libraries',
    staff((req, res) => {
      const filter = {
        q: str(req.query, 'q'),
        status: str(req.query, 'status'),
        service: str(req.query, 'service'),
      };
      const flagsById = new Map<string, string[]>();
      for (const f of flags.forUser(req.user, flags.today())) {
        if (f.subject.type === 'library')
          flagsById.set(f.subject.id, [...(flagsById.get(f.subject.id) ?? []), f.rule]);
      }
      const latest = libraries.latestAttestations();
      const q = filter.q.toLowerCase();
      const visible = libraries.visibleTo(req.user);
      const list = visible
        .filter((l) => !filter.status || (filter.status === 'closed') === isClosed(l))
        .filter((l) => !filter.service || l.service === filter.service)
        .filter((l) => !q || `${l.name} ${l.service} ${l.postcode ?? ''}`.toLowerCase().includes(q))
        .map((l) => {
          const last = latest.get(`library:${l.id}`);
          return {
            ...l,
            closed: isClosed(l),
            flags: flagsById.get(l.id) ?? [],
            lastAttested: last ? formatDate(last.completedOn) : 'Never',
          };
        });
      res.render('pages/libraries/list', {
        title: 'Libraries',
        list,
        filter,
        services: [...new Set(visible.map((l) => l.service))].sort(),
        isCoordinator: req.user.role === 'coordinator',
      });
    }),
  );

  router.get(
    '/libraries/:id',
    staff((req, res) => {
      const library = libraries.getFor(req.user, String(req.params.id));
      const history = reviews.history('library', library.id);
      const latest = history.find((r) => r.status === 'submitted');
      const tests = libraries.filterTests(library.id);
      const today = flags.today();
      res.render('pages/libraries/show', {
        title: library.name,
        library,
        closed: isClosed(library),
        managers: libraries.managersOf(library.id),
        isCoordinator: req.user.role === 'coordinator',
        profile: library.filtering,
        gaps: isClosed(library) ? [] : profileGaps(library.filtering, today),
        policyDocNames,
        reattestation: libraries.pendingReattestation(library, latest),
        latest: latest
          ? {
              ...latest,
              completedText: formatDate(latest.completedOn),
              nextDueText: formatDate(latest.nextDue),
            }
          : null,
        draft: history.find((r) => r.status === 'draft') ?? null,
        history: history
          .filter((r) => r.status === 'submitted')
          .map((r) => ({
            ...r,
            completedText: formatDate(r.completedOn),
            nextDueText: formatDate(r.nextDue),
          })),
        actions: reviews
          .actionsFor('library', library.id)
          .map((a) => ({ ...a, dueText: formatDate(a.dueOn) })),
        tests: tests.map((t) => ({ ...t, testedText: formatDate(t.testedOn) })),
        flags: flags
          .forUser(req.user, today)
          .filter((f) => f.subject.type === 'library' && f.subject.id === library.id),
        formatDate,
      });
    }),
  );

  function renderProfileForm(
    res: import('express').Response,
    library: Library,
    values: Record<string, unknown>,
    version: number,
    errors: Record<string, { text: string; href: string }> = {},
  ) {
    const hasErrors = Object.keys(errors).length > 0;
    res.status(hasErrors ? 400 : 200).render('pages/libraries/profileForm', {
      title: `Filtering profile: ${library.name}`,
      library,
      values,
      version,
      errors,
      hasErrors,
      categoryItems,
      policyDocNames,
    });
  }

  router.get(
    '/libraries/:id/profile',
    staff((req, res) => {
      const library = libraries.getFor(req.user, String(req.params.id));
      renderProfileForm(res, library, profileFormValues(library.filtering), library.version);
    }),
  );

  router.post(
    '/libraries/:id/profile',
    staff(async (req, res) => {
      const library = libraries.getFor(req.user, String(req.params.id));
      const version = Number.parseInt(str(req.body, 'version'), 10);
      const { profile, values, errors } = readProfileForm(req.body, flags.today());
      if (!profile) return renderProfileForm(res, library, values, version, errors);
      const dueSince = library.reattestation?.since;
      const saved = await libraries.updateProfile(req.user, library.id, profile, version);
      const due = saved.reattestation && saved.reattestation.since !== dueSince;
      req.session.flash = {
        text: due
          ? 'The filtering profile was saved. The filtering provider changed, so a new attestation is due now'
          : 'The filtering profile was saved',
      };
      res.redirect(303, `/libraries/${library.id}`);
    }),
  );

  function renderManagersForm(
    res: import('express').Response,
    library: Library,
    ticked: string[],
    errors: Record<string, { text: string; href: string }> = {},
  ) {
    const hasErrors = Object.keys(errors).length > 0;
    res.status(hasErrors ? 400 : 200).render('pages/libraries/managersForm', {
      title: `Managers of ${library.name}`,
      library,
      candidates: libraries
        .managerCandidates()
        .map((u) => ({ value: u.id, text: `${u.name} (${u.email})${u.active ? '' : ', deactivated'}` })),
      ticked,
      errors,
      hasErrors,
    });
  }

  router.get(
    '/libraries/:id/managers',
    coordinator((req, res) => {
      const library = libraries.getFor(req.user, String(req.params.id));
      renderManagersForm(
        res,
        library,
        libraries.managersOf(library.id).map((u) => u.id),
      );
    }),
  );

  router.post(
    '/libraries/:id/managers',
    coordinator(async (req, res) => {
      const library = libraries.getFor(req.user, String(req.params.id));
      const ticked = strs(req.body, 'managers');
      const saved = await saveForm(async () => {
        await libraries.setManagers(req.user, library.id, ticked);
      });
      if (!saved.ok) {
        return renderManagersForm(res, library, ticked, saved.errors);
      }
      req.session.flash = { text: `The managers of ${library.name} were saved` };
      res.redirect(303, `/libraries/${library.id}`);
    }),
  );

  function renderFilterTestForm(
    res: import('express').Response,
    library: Library,
    values: Record<string, unknown>,
    errors: Record<string, { text: string; href: string }> = {},
  ) {
    const hasErrors = Object.keys(errors).length > 0;
    res.status(hasErrors ? 400 : 200).render('pages/libraries/filterTestForm', {
      title: `Record a filter test: ${library.name}`,
      library,
      values,
      errors,
      hasErrors,
      categoryItems,
    });
  }

  router.get(
    '/libraries/:id/filter-tests/new',
    staff((req, res) => {
      const library = libraries.getFor(req.user, String(req.params.id));
      renderFilterTestForm(res, library, { testedOn: flags.today(), categoriesTried: [], result: '' });
    }),
  );

  router.post(
    '/libraries/:id/filter-tests',
    staff(async (req, res) => {
      const library = libraries.getFor(req.user, String(req.params.id));
      const { test, values, errors } = readFilterTestForm(req.body, flags.today());
      if (!test) return renderFilterTestForm(res, library, values, errors);
      await libraries.addFilterTest(req.user, library.id, test);
      req.session.flash = { text: 'The filter test was recorded' };
      res.redirect(303, `/libraries/${library.id}#filter-tests`);
    }),
  );

  router.get(
    '/api/libraries',
    staff((req, res) => {
      res.json(libraries.visibleTo(req.user).map((l) => apiLibrary(l, libraries.managersOf(l.id))));
    }),
  );

  router.get(
    '/api/libraries/:id',
    staff((req, res) => {
      const library = libraries.getFor(req.user, String(req.params.id));
      const latest = libraries.latestAttestation(library.id);
      res.json({
        ...apiLibrary(library, libraries.managersOf(library.id)),
        filtering: library.filtering,
        reattestationDue: libraries.pendingReattestation(library, latest),
        latestAttestation: latest
          ? {
              id: latest.id,
              completedOn: latest.completedOn,
              outcome: latest.outcome,
              nextDue: latest.nextDue,
              attestation: latest.attestation,
            }
          : null,
        filterTests: libraries.filterTests(library.id).map((t) => ({
          id: t.id,
          testedOn: t.testedOn,
          deviceOrNetwork: t.deviceOrNetwork,
          categoriesTried: t.categoriesTried,
          result: t.result,
          categoriesNotBlocked: t.categoriesNotBlocked,
          notes: t.notes,
          recordedBy: t.recordedBy,
        })),
      });
    }),
  );

  return router;
}

function apiLibrary(l: Library, managers: { name: string; email: string }[]) {
  return {
    id: l.id,
    service: l.service,
    name: l.name,
    address: l.address,
    postcode: l.postcode,
    uprn: l.uprn,
    type: l.type,
    statutory: l.statutory,
    yearOpened: l.yearOpened,
    yearClosed: l.yearClosed,
    closed: isClosed(l),
    managers: managers.map((m) => ({ name: m.name, email: m.email })),
  };
}
