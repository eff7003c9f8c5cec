import type { Server, ServerResponse } from 'node:http';

export interface GracefulStopOptions {
  /** Runs once no request is left in progress (closes the store: waits for writes, releases the lock). */
  close: () => Promise<void>;
  log: (line: string) => void;
  exit: (code: number) => void;
  /** Connections still open this long after the stop began are cut (default 10 s). */
  forceAfterMs?: number;
}

/**
 * Stops the HTTP server without cutting work off: no new connections are accepted; requests in progress
 * finish and their responses carry `Connection: close`, so keep-alive clients cannot keep the server
 * busy; idle connections are closed at once. Then `close` runs and the process exits 0 (1 if closing failed).
 */
export function setUpGracefulStop(server: Server, opts: GracefulStopOptions) {
  const inProgress = new Set<ServerResponse>();
  let stopping = false;

  server.prependListener('request', (_req, res: ServerResponse) => {
    inProgress.add(res);
    if (stopping) res.setHeader('Connection', 'close');
    // 'close' follows a response's end (its connection then idle) as well as a connection cut short.
    res.once('close', () => {
      inProgress.delete(res);
      // A response whose headers went out before the stop began kept its connection alive: close it now.
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });

  return {
    get stopping() {
      return stopping;
    },
    stop(signal: string): void {
      if (stopping) {
        opts.log(`${signal}: already stopping, waiting for requests in progress`);
        return;
      }
      stopping = true;
      opts.log(`${signal}: finishing ${inProgress.size} request(s) in progress, then stopping`);
      for (const res of inProgress) if (!res.headersSent) res.setHeader('Connection', 'close');
      server.close(async () => {
        try {
          await opts.close();
          opts.log('Stopped.');
          opts.exit(0);
        } catch (err) {
          opts.log(`Could not close the database cleanly: ${(err as Error).message}`);
          opts.exit(1);
        }
      });
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), opts.forceAfterMs ?? 10_000).unref();
    },
  };
}
