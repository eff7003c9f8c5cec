/** A cookie's value from a request's Cookie header (the first of that name), decoded; null if absent or malformed. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  // Pair by pair, without splitting the header into an array first (this runs on every request).
  for (let from = 0; from < header.length; ) {
    const semicolon = header.indexOf(';', from);
    const end = semicolon === -1 ? header.length : semicolon;
    const eq = header.indexOf('=', from);
    if (eq !== -1 && eq < end && header.slice(from, eq).trim() === name) {
      try {
        return decodeURIComponent(header.slice(eq + 1, end).trim());
      } catch {
        return null;
      }
    }
    from = end + 1;
  }
  return null;
}
