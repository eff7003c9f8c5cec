import { expect } from 'chai';

/** The conflict page's cards: one per field that differs, by its label, with both versions. */
export function differences(html: string): Map<string, { yours: string; theirs: string }> {
  const out = new Map<string, { yours: string; theirs: string }>();
  const cardRe = /<h2 class="govuk-summary-card__title">\s*([\s\S]*?)\s*<\/h2>([\s\S]*?)<\/dl>/g;
  const value = (card: string, key: string) =>
    new RegExp(`${key}\\s*</dt>\\s*<dd class="govuk-summary-list__value">\\s*([\\s\\S]*?)\\s*</dd>`)
      .exec(card)?.[1]
      ?.trim() ?? '';
  for (let m = cardRe.exec(html); m; m = cardRe.exec(html))
    out.set(m[1] ?? '', {
      yours: value(m[2] ?? '', 'Your version \\(not saved\\)'),
      theirs: value(m[2] ?? '', 'Latest saved version'),
    });
  return out;
}

/** The hidden fields of the conflict page's "Save my version" form, as a form to post again. */
export function resubmitForm(html: string): Record<string, string | string[]> {
  const form = /<form method="post" action="[^"]*" novalidate>([\s\S]*?)<\/form>/.exec(html)?.[1];
  expect(form, 'the conflict page offers the form to send again').to.not.equal(undefined);
  const out: Record<string, string | string[]> = {};
  for (const m of (form ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    const [name, value] = [m[1] ?? '', decode(m[2] ?? '')];
    if (name === '_csrf') continue;
    const had = out[name];
    out[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  return out;
}

const decode = (s: string) =>
  s
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
