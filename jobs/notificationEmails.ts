import { formatDate } from '../checks/londonDates.js';
import type { HirerStatus } from '../checks/hireRules.js';
import type { RenderedEmail } from './reminderEmail.js';
import { onceMessageId } from './sendOnce.js';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The parts of one plain email: a heading, paragraphs, an optional list and one link. */
export interface EmailParts {
  subject: string;
  heading: string;
  paragraphs: string[];
  /** A titled list (e.g. the conditions), shown after the paragraphs. */
  list?: { title: string; items: string[] };
  /** Label/value lines (e.g. the event, the venue, the date). */
  facts?: [string, string][];
  link?: { href: string; text: string };
  /** Replaces the usual footer (for people outside the council). */
  footer?: string;
}

const STAFF_FOOTER = 'This email was sent automatically by Due Regard; replies are not read.';

/** Plain text and HTML of one email, with a Message-ID fixed by its once-only key and recipient. */
export function composeEmail(parts: EmailParts, to: string, key: string, baseUrl: string): RenderedEmail {
  const text: string[] = [parts.heading, ''];
  const html: string[] = [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(parts.subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; color: #0b0c0c; line-height: 1.4">',
    `<h1 style="font-size: 24px">${escapeHtml(parts.heading)}</h1>`,
  ];
  for (const p of parts.paragraphs) {
    text.push(p, '');
    html.push(`<p>${escapeHtml(p)}</p>`);
  }
  if (parts.facts?.length) {
    for (const [k, v] of parts.facts) text.push(`${k}: ${v}`);
    text.push('');
    html.push('<table style="border-collapse: collapse">');
    for (const [k, v] of parts.facts)
      html.push(
        `<tr><th scope="row" style="text-align: left; padding: 4px 16px 4px 0">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
      );
    html.push('</table>');
  }
  if (parts.list && parts.list.items.length > 0) {
    text.push(parts.list.title, ...parts.list.items.map((i) => `* ${i}`), '');
    html.push(`<h2 style="font-size: 19px">${escapeHtml(parts.list.title)}</h2><ul>`);
    for (const i of parts.list.items) html.push(`<li>${escapeHtml(i)}</li>`);
    html.push('</ul>');
  }
  if (parts.link) {
    text.push(`${parts.link.text}: ${parts.link.href}`, '');
    html.push(
      `<p><a href="${escapeHtml(parts.link.href)}" style="color: #1d70b8">${escapeHtml(parts.link.text)}</a></p>`,
    );
  }
  const footer = parts.footer ?? STAFF_FOOTER;
  text.push('--', footer);
  html.push('<hr>', `<p style="font-size: 14px">${escapeHtml(footer)}</p>`, '</body></html>');
  return {
    to,
    subject: parts.subject,
    text: `${text.join('\n')}\n`,
    html: html.join('\n'),
    messageId: onceMessageId(key, to, baseUrl),
  };
}

/** What an email about a booking says about it: plain facts, never screening details. */
export interface BookingFacts {
  ref: string;
  eventTitle: string | null;
  venue: string;
  whenText: string;
}

const facts = (b: BookingFacts): [string, string][] => [
  ['Reference', b.ref],
  ['Event', b.eventTitle ?? 'Not given'],
  ['Venue', b.venue],
  ['When', b.whenText],
];

const HIRER_FOOTER =
  'This email was sent automatically by the council’s hall booking service; replies are not read. If you did not make this request, you can ignore this email.';

/**
 * The hirer's emails. Built from the booking's plain facts and `hirerStatus` only, so nothing of the
 * screening (watch-list entries, sources, reasons for a match) or the council's internal notes can
 * appear in them.
 */
export function hirerAcknowledgement(b: BookingFacts, statusUrl: string): EmailParts {
  return {
    subject: `We have your request to hire ${b.venue} (reference ${b.ref})`,
    heading: 'We have your hall hire request',
    paragraphs: [
      `Thank you. Your reference is ${b.ref}.`,
      'The council checks every booking before it is confirmed. We will email you when a decision is made. Until then the booking is provisional: please do not advertise the event yet.',
    ],
    facts: facts(b),
    link: { href: statusUrl, text: 'See the status of your request' },
    footer: HIRER_FOOTER,
  };
}

export function hirerDecision(b: BookingFacts, status: HirerStatus, statusUrl: string): EmailParts {
  return {
    subject: `Your hall hire request ${b.ref}: ${status.title.toLowerCase()}`,
    heading: `Your request: ${status.title.toLowerCase()}`,
    paragraphs: [status.text, ...(status.reason ? [`The council’s reason: ${status.reason}`] : [])],
    facts: facts(b),
    list: { title: 'Conditions', items: status.conditions },
    link: { href: statusUrl, text: 'See the status of your request' },
    footer: HIRER_FOOTER,
  };
}

export function referralNotice(b: BookingFacts, referredBy: string, href: string): EmailParts {
  return {
    subject: `Booking ${b.ref} is referred to you for a decision`,
    heading: 'A booking is referred to you',
    paragraphs: [
      `${referredBy} referred this booking to the Prevent coordinator. Only a coordinator can decide it now.`,
    ],
    facts: facts(b),
    link: { href, text: 'Open the booking' },
  };
}

export function decisionNotice(
  b: BookingFacts,
  decisionText: string,
  decidedBy: string,
  href: string,
): EmailParts {
  return {
    subject: `Booking ${b.ref}: ${decisionText.toLowerCase()}`,
    heading: `Decision recorded: ${decisionText}`,
    paragraphs: [`${decidedBy} recorded this decision on a booking you are the booking officer for.`],
    facts: facts(b),
    link: { href, text: 'Open the booking' },
  };
}

export function onlineRequestNotice(b: BookingFacts, matched: boolean, href: string): EmailParts {
  return {
    subject: `New online request ${b.ref} for ${b.venue}`,
    heading: 'A hall hire request came in online',
    paragraphs: [
      'It is provisional until its checks are done and a decision is recorded.',
      ...(matched ? ['A name on it matches the watch list: open the booking to see which.'] : []),
    ],
    facts: facts(b),
    link: { href, text: 'Open the booking' },
  };
}

export function filterTestFailedNotice(
  library: string,
  testedOn: string,
  device: string,
  href: string,
): EmailParts {
  return {
    subject: `Filter test failed at ${library}`,
    heading: 'A library filter test found something that should have been blocked',
    paragraphs: [`The test on ${formatDate(testedOn)} (${device}) was not blocked by the filter.`],
    link: { href, text: 'Open the library' },
  };
}
