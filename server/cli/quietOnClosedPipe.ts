/**
 * A writer for stdout or stderr that stops quietly once the reader has gone (EPIPE, as when piped into
 * `head`): what is left to print has no reader, and the command's work is done or still worth finishing.
 * Any other write error is still thrown.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}
