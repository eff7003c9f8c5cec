import type { Services } from '../services/createServices.js';

/**
 * The schools' part of the daily reminder run: return reminders 14 and 3 days before a link's last
 * day, first emails the mail server did not take, and bulletins not yet delivered. Each message is in
 * the reminder log once sent, so a run after a restart sends nothing twice.
 */
export async function runSchoolMail(
  { returnSending, bulletins }: Pick<Services, 'returnSending' | 'bulletins'>,
  asOf?: string,
): Promise<{ sent: number; failed: number }> {
  const returns = await returnSending.daily(asOf);
  const retried = await bulletins.retryFailed(asOf);
  return { sent: returns.sent + retried.sent, failed: returns.failed + retried.failed };
}
