/** A draft read as a stream from its file: every byte in order, errors as errors, the file closed however the reading ends. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileStream } from '../../src/message/file-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'presend-file-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openDescriptors = () => readdirSync('/proc/self/fd').length;

async function readAll(file: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of fileStream(file)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('fileStream', () => {
  it.each([
    ['an empty file', 0],
    ['one byte', 1],
    ['exactly one chunk', 64 * 1024],
    ['one byte past a chunk', 64 * 1024 + 1],
    ['several chunks', 300_000],
  ])('gives back %s byte for byte', async (_case, size) => {
    const bytes = randomBytes(size);
    const file = join(dir, `f${size}`);
    writeFileSync(file, bytes);
    expect((await readAll(file)).equals(bytes)).toBe(true);
  });

  it('fails with the system error for a file that is not there', async () => {
    await expect(readAll(join(dir, 'missing.eml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('closes the file when the reader stops early', async () => {
    const file = join(dir, 'long');
    writeFileSync(file, randomBytes(1_000_000));
    const before = openDescriptors();
    const stream = fileStream(file);
    stream.on('error', () => undefined);
    for await (const chunk of stream) {
      expect((chunk as Buffer).length).toBeGreaterThan(0);
      break;
    }
    // Leaving the loop destroys the stream (with an AbortError, as for any stream); it
    // closes once the generator's finally has closed the file.
    if (!stream.closed) await new Promise((resolve) => stream.once('close', resolve));
    expect(openDescriptors()).toBe(before);
  });
});
