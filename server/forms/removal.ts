import type { Response } from 'express';
import { type Body, str } from './formHelpers.js';

/**
 * A confirmation step before every removal (SPEC §17). The "Remove" control on a page links to the
 * removal's address; GET there shows this page naming what goes, and only its "Yes, remove" button
 * (which sends `confirm=yes`) removes. A POST without it (an old page, a script) shows the page again
 * and removes nothing.
 */
export interface Removal {
  /** The page heading: "Remove this training record?" */
  heading: string;
  /** What will be removed, as summary rows. */
  rows: { key: string; value: string }[];
  /** What removing it means, in a sentence ("It cannot be brought back."). */
  warning: string;
  /** Where the confirming form posts (the removal's own address). */
  action: string;
  /** Where "No, go back" leads. */
  backHref: string;
  /** The confirming button: "Yes, remove this training record". */
  button: string;
  /** The page's layout: staff pages by default; the public layout for people outside the council. */
  view?: string;
  /** Extra locals that layout needs. */
  locals?: Record<string, unknown>;
}

/** Whether the removal was confirmed on its confirmation page. */
export const removalConfirmed = (body: Body | undefined) => str(body, 'confirm') === 'yes';

/** The confirmation page of a removal. */
export function renderRemoval(res: Response, removal: Removal): void {
  res.render(removal.view ?? 'pages/confirmRemoval', {
    ...removal.locals,
    title: removal.heading,
    removal,
    backLink: { href: removal.backHref, text: 'Back' },
  });
}
