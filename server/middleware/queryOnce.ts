import type { Express } from 'express';

/** Where a request keeps its parsed query (see requestShapes.ts, which gives every request the slot). */
export const PARSED_QUERY = Symbol('parsed query');
type WithQuery = { [PARSED_QUERY]?: unknown };

/**
 * `req.query` parsed once per request. Express 5 parses the query string again on every read of
 * `req.query` (a getter), so a list page that reads a dozen filters parsed it a dozen times. The first
 * read now keeps its result on the request, where later reads find it; a handler may also assign it.
 */
export function parseQueryOnce(app: Express): void {
  let proto: object | null = app.request;
  let parse: PropertyDescriptor['get'];
  while (proto && !parse) {
    parse = Object.getOwnPropertyDescriptor(proto, 'query')?.get;
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  if (!parse) throw new Error('Express has no req.query getter to wrap');
  const parseQuery = parse;
  Object.defineProperty(app.request, 'query', {
    configurable: true,
    enumerable: true,
    get(this: WithQuery) {
      if (this[PARSED_QUERY] === undefined) this[PARSED_QUERY] = parseQuery.call(this);
      return this[PARSED_QUERY];
    },
    set(this: WithQuery, query: unknown) {
      this[PARSED_QUERY] = query;
    },
  });
}
