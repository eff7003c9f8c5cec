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

/**
 * Fails unless the page's form (posting to `action`) shows every field of `posted` as it was sent, apart
 * from `except` (the bad field, the button's name, the CSRF token): what "nothing entered or ticked is lost
 * on a validation error" means for one form.
 */
export function keptFields(
  html: string,
  action: string,
  posted: Record<string, string | string[]>,
  except: readonly string[] = [],
): { field: string; sent: string | string[]; shown: string | string[] | undefined }[] {
  const shown = formFields(html, action);
  const skip = new Set(['_csrf', 'intent', ...except]);
  const lost: { field: string; sent: string | string[]; shown: string | string[] | undefined }[] = [];
  for (const [field, sent] of Object.entries(posted)) {
    if (skip.has(field)) continue;
    const back = shown[field];
    const sentList = Array.isArray(sent) ? sent : [sent];
    const backList = back === undefined ? [] : Array.isArray(back) ? back : [back];
    const same = backList.length === sentList.length && sentList.every((v, i) => backList[i] === v);
    if (!same) lost.push({ field, sent, shown: back });
  }
  return lost;
}

/** Every value a radio, checkbox or select named `name` offers on the page. */
export function choices(html: string, name: string): string[] {
  const out: string[] = [];
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    if (tag.includes(` name="${name}"`)) out.push(/\svalue="([^"]*)"/.exec(tag)?.[1] ?? '');
  }
  const select = new RegExp(`<select\\b[^>]*\\sname="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  for (const m of select?.[1]?.matchAll(/<option\b[^>]*\svalue="([^"]*)"/g) ?? []) out.push(m[1] ?? '');
  return out.filter((v) => v !== '');
}
