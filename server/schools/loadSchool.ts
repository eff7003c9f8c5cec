import { notFound } from '../errors.js';
import type { Services } from '../services/createServices.js';

/** The school named in a route, or 404 (an unknown id shows the same page as a hidden one). */
export function loadSchool(schools: Services['schools'], id: unknown) {
  const s = schools.get(String(id));
  if (!s) throw notFound();
  return s;
}
