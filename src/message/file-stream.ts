/**
 * A draft's bytes as a stream, read in 64 KiB chunks as the reader asks for them.
 * Not fs.createReadStream: its first call loads Node's file streams and, behind them,
 * fs/promises with readline and the REPL's history, ≈ 5 ms of a draft check's start-up
 * on Node 24. The reads are synchronous, as a compiler's are: a chunk from a local file
 * takes microseconds, the checks run on this thread anyway, and a run that reads only
 * drafts never starts libuv's thread pool (≈ 1.5 ms). A stream destroyed early (an
 * error, a reader that stops) closes the file.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';

const CHUNK_BYTES = 64 * 1024;

export function fileStream(file: string): Readable {
  let fd: number | undefined;
  return new Readable({
    highWaterMark: CHUNK_BYTES,
    construct(callback) {
      try {
        fd = openSync(file, 'r');
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    read() {
      try {
        const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
        const length = readSync(fd!, chunk, 0, CHUNK_BYTES, null);
        this.push(length === 0 ? null : chunk.subarray(0, length));
      } catch (err) {
        this.destroy(err as Error);
      }
    },
    destroy(err, callback) {
      if (fd !== undefined) {
        const open = fd;
        fd = undefined;
        try {
          closeSync(open);
        } catch (closeErr) {
          callback(err ?? (closeErr as Error));
          return;
        }
      }
      callback(err);
    },
  });
}
