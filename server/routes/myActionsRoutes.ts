import { Router } from 'express';
import { formatDate } from '../../checks/londonDates.js';
import { type ListSpec, listPage, readQuery, sendListCsv, sortRows } from '../lists/list.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import type { MyItem } from '../services/myActionsService.js';

const dueText = (i: MyItem) => (i.dueOn ? formatDate(i.dueOn) : 'Now');
const stateText = (i: MyItem) => (i.overdue ? 'Overdue' : 'Open');

/** My actions: soonest first (due now without a date before everything dated). */
export const MY_ACTIONS: ListSpec<MyItem> = {
  path: '/my-actions',
  noun: { one: 'open item', many: 'open items' },
  csvFile: 'my-actions.csv',
  defaultSort: { sort: 'due', dir: 'asc' },
  columns: [
    { key: 'due', label: 'Due', sort: (i) => i.dueOn ?? '0000-00-00', csv: dueText },
    { key: 'what', label: 'What', sort: (i) => i.title, csv: (i) => i.title },
    { key: 'details', label: 'What is needed', csv: (i) => i.details.join('; ') },
    { key: 'area', label: 'Area', sort: (i) => i.area, csv: (i) => i.area },
    { key: 'state', label: 'Status', sort: (i) => (i.overdue ? 0 : 1), csv: stateText },
  ],
};

/** `/my-actions`: everything the signed-in person owns that is open, across areas (every role). */
export function myActionsRoutes({ myActions, flags }: Services) {
  const router = Router();
  router.get(
    '/my-actions',
    anyRole()((req, res) => {
      const query = readQuery(req.query, MY_ACTIONS);
      const sorted = sortRows(myActions.forUser(req.user, flags.today()), MY_ACTIONS.columns, query);
      if (query.csv) return sendListCsv(res, MY_ACTIONS, sorted);
      const list = listPage(MY_ACTIONS, sorted, query);
      res.render('pages/myActions/index', {
        title: 'My actions',
        list,
        rows: list.rows.map((i) => ({ ...i, dueText: dueText(i) })),
      });
    }),
  );
  return router;
}
