import busboy from 'busboy';
import type { Request, Response } from 'express';

/** Where an uploaded file's bytes go as they arrive. */
export interface UploadSink<R> {
  write(chunk: Buffer): Promise<void>;
  finish(): Promise<R>;
  abort(): Promise<void>;
}

export interface UploadForm<R> {
  /** The text fields, as sent (those before the file, and those after it unless reading stopped). */
  fields: Record<string, string>;
  /** Every value of each text field, in order (for a field that may repeat). */
  values: Record<string, string[]>;
  /** The file, received in full; null when none was chosen (or reading stopped). */
  file: { filename: string; received: R } | null;
  /** The file passed `maxBytes`: reading stopped there and nothing was kept. */
  tooLarge: boolean;
  /** The file came without a valid token before it: it was not read. */
  tokenRefused: boolean;
  /** The body was not a readable multipart form (cut short, malformed). */
  unreadable: boolean;
}

export interface UploadOptions<R> {
  /** Name of the file field. */
  fileField: string;
  maxBytes: number;
  /**
   * Checks the `_csrf` field, which the form must send BEFORE the file: no file is read without it.
   * Also given the other fields sent before the file, for a route that must check them first.
   */
  tokenOk(token: string, fieldsBeforeFile: Readonly<Record<string, string>>): boolean;
  openSink(): Promise<UploadSink<R>>;
}

/** Room for the form's other fields and the multipart framing, beside the file itself. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export const isMultipart = (req: Request) => Boolean(req.is('multipart/form-data'));

/**
 * Reads a multipart form with one file, streaming the file into `openSink()` (never buffered whole).
 * The CSRF token is checked when the file's part begins, from the `_csrf` field sent before it; without
 * it the file is not read at all. A body announced larger than the limit is not read; a file that runs
 * past the limit stops being read the moment it does (the sink is aborted, so nothing is kept).
 */
export function readUploadForm<R>(req: Request, opts: UploadOptions<R>): Promise<UploadForm<R>> {
  const result: UploadForm<R> = {
    fields: {},
    values: {},
    file: null,
    tooLarge: false,
    tokenRefused: false,
    unreadable: false,
  };
  const announced = Number(req.get('content-length'));
  if (Number.isFinite(announced) && announced > opts.maxBytes + FORM_OVERHEAD_BYTES) {
    result.tooLarge = true;
    return Promise.resolve(result);
  }
  return new Promise((resolve) => {
    let settled = false;
    let stopped = false;
    let receiving: Promise<void> = Promise.resolve();
    let bb: busboy.Busboy;
    const settle = () => {
      if (settled) return;
      settled = true;
      receiving.then(() => resolve(result));
    };
    /** Stops reading the request here: what is left of the body is not parsed. */
    const stop = () => {
      stopped = true;
      req.unpipe(bb);
      settle();
    };
    try {
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        // One byte past the limit is how busboy says the file is too large.
        limits: { fileSize: opts.maxBytes + 1, files: 1, fields: 10, fieldSize: 2048, parts: 12 },
      });
    } catch {
      result.unreadable = true;
      return resolve(result);
    }
    bb.on('field', (name, value) => {
      result.fields[name] = value;
      const all = result.values[name] ?? [];
      all.push(value);
      result.values[name] = all;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== opts.fileField || result.file || stopped) return stream.resume();
      if (!opts.tokenOk(result.fields._csrf ?? '', result.fields)) {
        result.tokenRefused = true;
        stream.resume();
        return stop();
      }
      // No file chosen: browsers send the part with an empty name and no content.
      if (!info.filename) return stream.resume();
      stream.on('limit', () => {
        result.tooLarge = true;
        stream.destroy();
        stop();
      });
      receiving = receive(stream, info.filename);
    });
    const receive = async (stream: NodeJS.ReadableStream, filename: string) => {
      const sink = await opts.openSink();
      try {
        for await (const chunk of stream) await sink.write(chunk as Buffer);
      } catch {
        // Destroyed at the limit, or the request was cut short.
      }
      if (result.tooLarge || result.unreadable) return sink.abort();
      result.file = { filename, received: await sink.finish() };
    };
    bb.on('error', () => {
      result.unreadable = true;
      stop();
    });
    bb.on('close', settle);
    req.on('close', () => {
      // The browser went away mid-upload: whatever was received is thrown away.
      if (req.complete || stopped) return;
      result.unreadable = true;
      bb.destroy();
      stop();
    });
    req.pipe(bb);
  });
}

/** At most this much of a refused upload's body is read (and thrown away) while its answer goes out. */
const DISCARD_BYTES = 16 * 1024 * 1024;
const DISCARD_MS = 10_000;

/**
 * After refusing an upload whose body is still arriving: the answer says `Connection: close`, so the
 * server closes the connection once the answer is sent and reads no more of the body. Until then what
 * arrives is thrown away unread (never parsed, kept or written), within a bound in bytes and time past
 * which the connection is closed regardless. Browsers show the answer (the error page) even though their
 * upload was cut off.
 */
export function discardRestOfBody(req: Request, res: Response): void {
  if (req.readableEnded || req.complete) return;
  res.set('Connection', 'close');
  let seen = 0;
  const close = () => req.socket.destroy();
  const timer = setTimeout(close, DISCARD_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DISCARD_BYTES) close();
  });
  req.on('end', () => clearTimeout(timer));
  req.on('close', () => clearTimeout(timer));
  req.resume();
}
