/**
 * A draft's bytes as a stream, read in 64 KiB chunks as the reader asks for them.
 * Not fs.createReadStream: its first call loads Node's file streams and, behind them,
 * fs/promises with readline and the REPL's history, ≈ 5 ms of a draft check's start-up
 * on Node 24. Readable.from pulls one chunk per read, so back-pressure holds, and a
 * stream destroyed early (an error, a reader that stops) closes the file through the
 * generator's finally.
 */
import { close, open, read } from 'node:fs';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';

const CHUNK_BYTES = 64 * 1024;

async function* chunksOf(file: string): AsyncGenerator<Buffer> {
  const fd = await promisify(open)(file, 'r');
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await promisify(read)(fd, chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield chunk.subarray(0, bytesRead);
    }
  } finally {
    await promisify(close)(fd);
  }
}

export function fileStream(file: string): Readable {
  return Readable.from(chunksOf(file), { objectMode: false });
}
