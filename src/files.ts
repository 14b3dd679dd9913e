/**
 * Every file presend reads whole goes through here: a path must name a regular file
 * (a FIFO, /dev/zero or a symlink to one would be read forever), and what is read is
 * capped, so a hostile path in a pull request cannot exhaust a CI runner. Standard
 * input is read only where a command documents `-`, under the same cap.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { UsageError } from './errors.js';

export const MiB = 1024 * 1024;

/** Caps by kind of file: each far above any real one. */
export const fileLimits = {
  config: 1 * MiB,
  profile: 4 * MiB,
  zone: 16 * MiB,
  domainList: 64 * MiB,
  bounce: 20 * MiB,
  certificates: 1 * MiB,
} as const;

function sizeText(bytes: number): string {
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

/**
 * The whole of a regular file as bytes, at most `maxBytes`. `label` names the file in
 * errors as the user gave it (`--zone x.zone`, `config x.yaml`).
 */
export function readRegularFile(path: string, label: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    // stat follows symlinks: a link to /dev/zero is refused as what it points to.
    if (!statSync(path).isFile()) throw new UsageError(`${label}: not a regular file`);
    fd = openSync(path, 'r');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${label}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    // Checked again on the open descriptor: the path may have been swapped in between.
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`${label}: not a regular file`);
    // One byte past the cap, so a file over it is seen to be over it without reading more.
    // Not zero-filled: only the bytes read are handed back.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(stat.size + 1, 64 * 1024)));
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw new UsageError(`${label}: larger than the ${sizeText(maxBytes)} presend reads for it`);
    return buffer.subarray(0, length);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${label}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  } finally {
    closeSync(fd);
  }
}

export function readTextFile(path: string, label: string, maxBytes: number): string {
  return readRegularFile(path, label, maxBytes).toString('utf8');
}

/** Standard input, whole, at most `maxBytes` (for a documented `-`). */
export async function readStdin(label: string, maxBytes: number, stream: NodeJS.ReadableStream = process.stdin): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const piece = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    length += piece.length;
    if (length > maxBytes) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new UsageError(`${label}: standard input is larger than the ${sizeText(maxBytes)} presend reads for it`);
    }
    chunks.push(piece);
  }
  return Buffer.concat(chunks);
}
