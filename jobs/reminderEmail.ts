import { createHash } from 'node:crypto';
import { daysBetween, formatDate } from '../checks/londonDates.js';
import { type EmailPlan, type PlannedEntry, daysOverdue } from './reminderPlan.js';

export interface RenderedEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The same plan always gets the same Message-ID, so a resend after a crash is recognisable. */
  messageId: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Lines per area in one email; the rest are counted and left to the dashboard (a first run after an import can be long). */
export const MAX_PER_AREA = 100;

/** "Overdue since 3 March 2026 (20 days)", "Due 10 March 2026 (in 6 days)", "Due today". */
export function whenText(entry: Pick<PlannedEntry, 'item'>, asOf: string): string {
  const { dueOn, overdueUndated } = entry.item;
  if (dueOn === null) return overdueUndated ? 'Overdue (never done)' : '';
  const days = daysBetween(asOf, dueOn);
  if (days < 0) return `Overdue since ${formatDate(dueOn)} (${plural(daysOverdue(entry.item, asOf), 'day')})`;
  if (days === 0) return `Due today, ${formatDate(dueOn)}`;
  if (days === 1) return `Due tomorrow, ${formatDate(dueOn)}`;
  return `Due ${formatDate(dueOn)} (in ${days} days)`;
}

function link(baseUrl: string, href: string | null): string | null {
  return href ? `${baseUrl}${href}` : null;
}

function subjectOf(plan: EmailPlan, asOf: string): string {
  const entries = plan.sections.flatMap((s) => s.entries);
  if (plan.kind === 'weekly-summary') {
    const overdue = entries.filter((e) => e.stage === 'overdue' || e.stage === 'escalation').length;
    return `Due Regard weekly summary, ${formatDate(asOf)}: ${plural(overdue, 'item')} overdue, ${entries.length - overdue} due within 30 days`;
  }
  const escalated = entries.filter((e) => e.escalated).length;
  const overdue = entries.filter((e) => !e.escalated && e.stage === 'overdue').length;
  const soon = entries.length - escalated - overdue;
  const parts = [
    escalated ? `${escalated} overdue by more than 14 days` : '',
    overdue ? `${overdue} overdue` : '',
    soon ? `${soon} due soon` : '',
  ].filter(Boolean);
  return `Due Regard reminder: ${parts.join(', ')}`;
}

/** Plain text and HTML of one planned email; links are BASE_URL plus the item's path. */
export function renderEmail(plan: EmailPlan, opts: { baseUrl: string; asOf: string }): RenderedEmail {
  const { baseUrl, asOf } = opts;
  const subject = subjectOf(plan, asOf);
  const intro =
    plan.kind === 'weekly-summary'
      ? `Everything due within 30 days or overdue across Due Regard, as of ${formatDate(asOf)}.`
      : `These are due or overdue and are yours, or have come to you as Prevent coordinator, as of ${formatDate(asOf)}.`;
  const text: string[] = [subject, '', intro, ''];
  const html: string[] = [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; color: #0b0c0c; line-height: 1.4">',
    `<h1 style="font-size: 24px">${escapeHtml(plan.kind === 'weekly-summary' ? 'Weekly summary' : 'Reminders')}</h1>`,
    `<p>${escapeHtml(intro)}</p>`,
  ];
  if (plan.sections.length === 0) {
    text.push('Nothing is due within 30 days or overdue.', '');
    html.push('<p>Nothing is due within 30 days or overdue.</p>');
  }
  for (const section of plan.sections) {
    text.push(section.area.toUpperCase(), '');
    html.push(`<h2 style="font-size: 19px">${escapeHtml(section.area)}</h2><ul>`);
    for (const e of section.entries.slice(0, MAX_PER_AREA)) {
      const url = link(baseUrl, e.item.href);
      const when = whenText(e, asOf);
      const owner =
        e.escalated || plan.kind === 'weekly-summary'
          ? `Owner: ${e.item.owners.length > 0 ? e.item.owners.join(', ') : 'nobody named (coordinators)'}`
          : '';
      text.push(`* ${e.item.title}`);
      text.push(`  ${when}${e.escalated ? ' — escalated to the Prevent coordinator' : ''}`);
      for (const d of e.item.details) text.push(`  ${d}`);
      if (owner) text.push(`  ${owner}`);
      if (url) text.push(`  ${url}`);
      text.push('');
      html.push(
        '<li style="margin-bottom: 12px">',
        url
          ? `<a href="${escapeHtml(url)}" style="color: #1d70b8">${escapeHtml(e.item.title)}</a>`
          : `<strong>${escapeHtml(e.item.title)}</strong>`,
        `<br>${escapeHtml(when)}${e.escalated ? ' — <strong>escalated to the Prevent coordinator</strong>' : ''}`,
        ...e.item.details.map((d) => `<br>${escapeHtml(d)}`),
        owner ? `<br>${escapeHtml(owner)}` : '',
        '</li>',
      );
    }
    html.push('</ul>');
    const more = section.entries.length - MAX_PER_AREA;
    if (more > 0) {
      const line = `…and ${plural(more, 'more item')} in ${section.area}: see the dashboard, ${baseUrl}/`;
      text.push(line, '');
      html.push(`<p>${escapeHtml(line)}</p>`);
    }
  }
  const footer = [
    `Open Due Regard: ${baseUrl}/`,
    `Add your due dates to your calendar: ${baseUrl}/account/calendar`,
    'This email was sent automatically by Due Regard; replies are not read.',
  ];
  text.push('--', ...footer);
  html.push(
    '<hr>',
    `<p style="font-size: 14px"><a href="${escapeHtml(`${baseUrl}/`)}" style="color: #1d70b8">Open Due Regard</a>. `,
    `<a href="${escapeHtml(`${baseUrl}/account/calendar`)}" style="color: #1d70b8">Add your due dates to your calendar</a>.<br>`,
    'This email was sent automatically by Due Regard; replies are not read.</p>',
    '</body></html>',
  );
  const identity = `${plan.to}\n${plan.reminders
    .map((r) => `${r.itemKey}|${r.stage}`)
    .sort()
    .join('\n')}`;
  let host = 'due-regard.invalid';
  try {
    host = new URL(baseUrl).hostname || host;
  } catch {
    // BASE_URL is validated at start-up; keep the fallback for odd values.
  }
  const messageId = `<${createHash('sha256').update(identity).digest('hex').slice(0, 40)}@${host}>`;
  return { to: plan.to, subject, text: `${text.join('\n')}\n`, html: html.join('\n'), messageId };
}
