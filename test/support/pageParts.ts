/** Small readers for what a test takes out of a page or a response, failing loudly when it is not there. */

/** A numbered group of the first match of `pattern` in `text`: throws naming the pattern when there is none. */
export function groupOf(pattern: RegExp, text: string, group = 1): string {
  const value = pattern.exec(text)?.[group];
  if (value === undefined)
    throw new Error(`Expected ${pattern} to match, with group ${group}, in: ${text.slice(0, 200)}`);
  return value;
}

/** Where a redirect points: throws when the response is not a redirect. */
export function locationOf(res: { status: number; headers: Record<string, string> }): string {
  const location = res.headers.location;
  if (location === undefined)
    throw new Error(`Expected a redirect, got status ${res.status} without a Location`);
  return location;
}
