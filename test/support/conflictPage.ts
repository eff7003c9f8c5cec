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
