import { Router } from 'express';
import { formatDate } from '../../checks/londonDates.js';
import { leadRoleLabels } from '../../data/schemas/schoolSchemas.js';
import { str } from '../forms/formHelpers.js';
import { requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { loadSchool } from './loadSchool.js';

/**
 * A school's Prevent leads as a GOV.UK "add to a list" page: the leads so far, and "Do you need to add
 * another Prevent lead?" (yes: the lead form again; no: back to the school). Adding a lead ends here.
 */
export function leadListRoutes({ schools }: Pick<Services, 'schools'>) {
  const router = Router();
  const education = requireRole('coordinator', 'education');

  const listPage = (schoolId: unknown, error?: string) => {
    const s = loadSchool(schools, schoolId);
    const leads = schools.leads(s.id, schools.today()).filter((l) => l.current);
    return {
      title: `${error ? 'Error: ' : ''}Prevent leads of ${s.name}`,
      s,
      rows: leads.map((l) => ({
        key: l.name,
        value: `${leadRoleLabels[l.role]}${l.startOn ? `, since ${formatDate(l.startOn)}` : ''}`,
        actions: [
          { href: `/schools/${s.id}/leads/${l.id}/edit`, text: 'Change', visuallyHiddenText: l.name },
        ],
      })),
      errors: error ? { another: { text: error, href: '#another' } } : {},
      backLink: { href: `/schools/${s.id}`, text: `Back to ${s.name}` },
    };
  };

  router.get('/schools/:id/leads', education, (req, res) => {
    res.render('pages/schools/leadList', listPage(req.params.id));
  });

  router.post('/schools/:id/leads/another', education, (req, res) => {
    const answer = str(req.body, 'another');
    const s = loadSchool(schools, req.params.id);
    if (answer === 'yes') return res.redirect(303, `/schools/${s.id}/leads/new`);
    if (answer === 'no') return res.redirect(303, `/schools/${s.id}`);
    res
      .status(400)
      .render('pages/schools/leadList', listPage(s.id, 'Select yes if you need to add another Prevent lead'));
  });

  return router;
}
