/**
 * The fields a form on a page would send as it stands: text, hidden and other inputs, ticked radios and
 * checkboxes, textareas and selected options; for posting a page's own form back with a few changes.
 */
export function formFields(html: string, action: string): Record<string, string | string[]> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`No form posting to ${action} on the page`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const cur = out[name];
    out[name] = cur === undefined ? value : Array.isArray(cur) ? [...cur, value] : [cur, value];
  };
  const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const decodeEntities = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#34;|&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    const type = attr(tag, 'type') ?? 'text';
    if (!name || type === 'submit' || type === 'file') continue;
    if ((type === 'radio' || type === 'checkbox') && !/\schecked\b/.test(tag)) continue;
    add(name, decodeEntities(attr(tag, 'value') ?? ''));
  }
  for (const m of form.matchAll(/<textarea\b[^>]*\sname="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) {
    add(m[1] ?? '', decodeEntities(m[2] ?? ''));
  }
  for (const m of form.matchAll(/<select\b[^>]*\sname="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option\b[^>]*\svalue="([^"]*)"[^>]*\sselected\b/.exec(m[2] ?? '');
    if (selected) add(m[1] ?? '', decodeEntities(selected[1] ?? ''));
  }
  return out;
}
