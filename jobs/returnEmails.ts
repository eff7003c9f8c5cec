import { createHash } from 'node:crypto';
import { formatDate } from '../checks/londonDates.js';
import type { RenderedEmail } from './reminderEmail.js';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const FOOTER = 'This email was sent automatically by the council’s Prevent team; replies are not read.';

/**
 * An email to someone outside the council: paragraphs of plain text, and the same as simple HTML, with
 * an optional link. `identity` makes the Message-ID, so a resend of the same message is recognisable.
 */
export function plainEmail(opts: {
  to: string;
  subject: string;
  paragraphs: string[];
  link?: { text: string; url: string };
  identity: string;
  baseUrl: string;
}): RenderedEmail {
  const text = [...opts.paragraphs];
  if (opts.link) text.splice(1, 0, `${opts.link.text}: ${opts.link.url}`);
  text.push('--', FOOTER);
  const html = [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(opts.subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; color: #0b0c0c; line-height: 1.4">',
    ...opts.paragraphs.map((p, i) => {
      const para = `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`;
      return i === 0 && opts.link
        ? `${para}<p><a href="${escapeHtml(opts.link.url)}" style="color: #1d70b8">${escapeHtml(opts.link.text)}</a></p>`
        : para;
    }),
    `<hr><p style="font-size: 14px">${escapeHtml(FOOTER)}</p>`,
    '</body></html>',
  ];
  let host = 'due-regard.invalid';
  try {
    host = new URL(opts.baseUrl).hostname || host;
  } catch {
    // BASE_URL is validated at start-up; keep the fallback for odd values.
  }
  const id = createHash('sha256').update(`${opts.to}\n${opts.identity}`).digest('hex').slice(0, 40);
  return {
    to: opts.to,
    subject: opts.subject,
    text: `${text.join('\n\n')}\n`,
    html: html.join('\n'),
    messageId: `<${id}@${host}>`,
  };
}

export interface ReturnEmailFacts {
  to: string;
  leadName: string | null;
  schoolName: string;
  url: string;
  lastDay: string;
  baseUrl: string;
  /** Makes each message's identity (the link's record id). */
  linkId: string;
}

const greeting = (name: string | null) => (name ? `Dear ${name},` : 'Hello,');

/** The first email: the school's personal link to its annual Prevent return. */
export function returnInvitationEmail(f: ReturnEmailFacts): RenderedEmail {
  return plainEmail({
    to: f.to,
    subject: `Annual Prevent return for ${f.schoolName}`,
    paragraphs: [
      `${greeting(f.leadName)}\n\nThe council asks each secondary school once a year to confirm its Prevent lead, record their Prevent training and answer the school Prevent audit. Please complete ${f.schoolName}’s return using your personal link below. You can save your answers and come back to them.`,
      `The link works until ${formatDate(f.lastDay)}. Please do not forward it: anyone with the link can see and change the return.`,
      'It takes about 20 minutes. You will need the dates of your Prevent lead’s training and your school’s Prevent risk assessment.',
    ],
    link: { text: 'Complete the return', url: f.url },
    identity: `return-invitation:${f.linkId}`,
    baseUrl: f.baseUrl,
  });
}

/** A reminder to a school that has not submitted, 14 or 3 days before its link expires. */
export function returnReminderEmail(f: ReturnEmailFacts, daysLeft: number): RenderedEmail {
  return plainEmail({
    to: f.to,
    subject: `Reminder: annual Prevent return for ${f.schoolName}, due by ${formatDate(f.lastDay)}`,
    paragraphs: [
      `${greeting(f.leadName)}\n\n${f.schoolName} has not yet submitted its annual Prevent return. The link to it stops working on ${formatDate(f.lastDay)} (in ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'}). Anything already saved is kept.`,
      'If you have already submitted the return, please ignore this email.',
    ],
    link: { text: 'Complete the return', url: f.url },
    identity: `return-reminder:${f.linkId}`,
    baseUrl: f.baseUrl,
  });
}

/** The school's copy of what it submitted. */
export function returnReceiptEmail(opts: {
  to: string;
  schoolName: string;
  reference: string;
  submittedBy: string;
  submittedOn: string;
  summary: string[];
  baseUrl: string;
}): RenderedEmail {
  return plainEmail({
    to: opts.to,
    subject: `Annual Prevent return received: ${opts.schoolName}`,
    paragraphs: [
      `The council has received ${opts.schoolName}’s annual Prevent return, submitted by ${opts.submittedBy} on ${formatDate(opts.submittedOn)}. Your reference is ${opts.reference}.`,
      opts.summary.join('\n'),
      'Keep this email as your record. If anything in it is wrong, contact the council’s Prevent team.',
    ],
    identity: `return-receipt:${opts.reference}`,
    baseUrl: opts.baseUrl,
  });
}

/** A Prevent update to one lead. */
export function bulletinEmail(opts: {
  to: string;
  subject: string;
  body: string;
  bulletinId: string;
  baseUrl: string;
}): RenderedEmail {
  return plainEmail({
    to: opts.to,
    subject: opts.subject,
    paragraphs: opts.body
      .split(/\r?\n\s*\r?\n/)
      .map((p) => p.trim())
      .filter(Boolean),
    identity: `bulletin:${opts.bulletinId}`,
    baseUrl: opts.baseUrl,
  });
}
