import { formFields } from './formFields.js';
import type { TestAgent } from './testApp.js';

/**
 * Answers one section page of a review in sections (`/reviews/ID/section/N`) the way a person would:
 * its form as shown, every question on it "yes" with a note, sent with `intent` and any `extra` fields.
 */
export async function answerSection(
  agent: TestAgent,
  reviewPath: string,
  n: number,
  intent = 'continue',
  extra: Record<string, string> = {},
) {
  const url = `${reviewPath}/section/${n}`;
  const page = (await agent.get(url)).text;
  const form: Record<string, string | string[]> = { ...formFields(page, url), intent };
  for (const [, id] of page.matchAll(/name="answer-([A-Z]+\d+)"/g)) {
    form[`answer-${id}`] = 'yes';
    form[`comment-${id}`] = `Checked ${id}`;
  }
  return agent.post(url, { ...form, ...extra });
}

/** Completes every section of the booking checks (ASK, CHECK, DECIDE); throws naming a refused one. */
export async function completeBookingChecks(agent: TestAgent, reviewPath: string): Promise<void> {
  for (const n of [1, 2, 3]) {
    const res = await answerSection(agent, reviewPath, n);
    if (res.status !== 303)
      throw new Error(`section ${n} refused (${res.status}): ${res.text.slice(0, 300)}`);
  }
}
