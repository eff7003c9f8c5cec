import { formatDateTime } from '../checks/londonDates.js';
import type { Mailer } from './mailer.js';
import type { RenderedEmail } from './reminderEmail.js';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface Invitation {
  to: string;
  name: string;
  /** Who invited them, as people know them. */
  invitedBy: string;
  /** What they will do, in words ("Facilities"). */
  roleName: string;
  link: string;
  expiresAt: string;
  /** Distinguishes each invitation (a resend is a new message). */
  id: string;
}

/** The invitation email: who asked, what the account is for, the link and until when it works. */
export function renderInvitationEmail(inv: Invitation): RenderedEmail {
  const subject = 'You have been invited to Due Regard';
  const until = formatDateTime(inv.expiresAt);
  const lines = [
    `Dear ${inv.name},`,
    '',
    `${inv.invitedBy} has given you an account on Due Regard, the council's Prevent duty toolkit, as ${inv.roleName}.`,
    '',
    'To start, choose your password at this link:',
    inv.link,
    '',
    `The link works once, until ${until}. If it has expired, ask ${inv.invitedBy} to send a new invitation.`,
    '',
    `You will sign in with this email address, ${inv.to}.`,
    '',
    'If you were not expecting this, you can ignore this email: no account is used until a password is chosen.',
  ];
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; font-size: 16px">',
    `<p>Dear ${escapeHtml(inv.name)},</p>`,
    `<p>${escapeHtml(inv.invitedBy)} has given you an account on Due Regard, the council's Prevent duty toolkit, as ${escapeHtml(inv.roleName)}.</p>`,
    `<p><a href="${escapeHtml(inv.link)}" style="color: #1d70b8">Choose your password</a></p>`,
    `<p>The link works once, until ${escapeHtml(until)}. If it has expired, ask ${escapeHtml(inv.invitedBy)} to send a new invitation.</p>`,
    `<p>You will sign in with this email address, ${escapeHtml(inv.to)}.</p>`,
    '<p>If you were not expecting this, you can ignore this email: no account is used until a password is chosen.</p>',
    '</body></html>',
  ];
  return {
    to: inv.to,
    subject,
    text: `${lines.join('\n')}\n`,
    html: html.join('\n'),
    messageId: `<invitation-${inv.id}@due-regard>`,
  };
}

/** Sends one invitation through the mail path; resolves once the mail server accepted it. */
export async function sendInvitationEmail(mailer: Mailer, inv: Invitation): Promise<void> {
  await mailer.send(renderInvitationEmail(inv));
}
