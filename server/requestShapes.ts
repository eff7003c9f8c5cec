import { createServer, IncomingMessage, type RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PARSED_QUERY } from './middleware/queryOnce.js';
import { SESSION_STATE } from './middleware/setUpSession.js';

/**
 * Requests and responses that start with every field Express, its router and the app's layers give them
 * while the request is handled. Node's own objects start without them, so each request grew them one by
 * one, and in V8 every field added to an object that Express has re-parented (it swaps the prototype of
 * each request and response) builds that object a new hidden class: about 1.3 kB and a few microseconds
 * per field, a dozen fields per page. Made here, the fields are only filled in, and every request keeps
 * one shape. Nothing reads these classes: an app served by a plain Node server (as in the tests) behaves
 * the same, only slower.
 */
export class AppRequest extends IncomingMessage {
  constructor(socket: Socket) {
    super(socket);
    const slots = this as unknown as Record<PropertyKey, unknown>;
    // Node's event count (a stream keeps it on its prototype until a listener is added), then Express
    // and its router.
    slots._eventsCount = slots._eventsCount ?? 0;
    slots.res = undefined;
    slots.next = undefined;
    slots.baseUrl = undefined;
    slots.originalUrl = undefined;
    slots._parsedUrl = undefined;
    slots.params = undefined;
    slots.route = undefined;
    // The app's layers: API token, session, sign-in, the query parsed once.
    slots.apiToken = undefined;
    slots.session = undefined;
    slots.user = undefined;
    slots[SESSION_STATE] = undefined;
    slots[PARSED_QUERY] = undefined;
  }
}

export class AppResponse extends ServerResponse<AppRequest> {
  constructor(req: AppRequest) {
    super(req);
    const slots = this as unknown as Record<PropertyKey, unknown>;
    // Set by Node's server and by Express (status, locals) on every response.
    slots._maxRequestsPerSocket = undefined;
    slots.statusCode = 200;
    slots.statusMessage = undefined;
    slots.locals = undefined;
    // The session layer holds back the end until a changed session is saved: it replaces `end`.
    slots.end = ServerResponse.prototype.end;
  }
}

/** The HTTP server for the app, its requests and responses made with the app's fields (see above). */
export function createAppServer(app: RequestListener) {
  return createServer(
    { IncomingMessage: AppRequest, ServerResponse: AppResponse },
    app as RequestListener<typeof AppRequest, typeof AppResponse>,
  );
}
