import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';

export interface ArchiveLimits {
  /** Entries listed across the whole archive tree. */
  maxEntries: number;
  /** Archives inside archives. */
  maxDepth: number;
  /** Bytes inflated to look inside nested archives (names are read without inflating anything). */
  maxInflatedBytes: number;
}

export const defaultArchiveLimits: ArchiveLimits = { maxEntries: 2000, maxDepth: 3, maxInflatedBytes: 32 * 1024 * 1024 };

export interface ArchiveEntry {
  /** `inner.zip › tools/run.cmd` for a nested entry. */
  path: string;
  name: string;
  encrypted: boolean;
  size: number;
}

export interface ArchiveListing {
  entries: ArchiveEntry[];
  encrypted: boolean;
  complete: boolean;
  /** Why the listing stopped short, when it did. */
  detail: string;
}

/** A zip by its declared name or type: known before any byte of the body is read. */
export function declaredZip(name: string | null, mimeType: string): boolean {
  return /\.zip$/i.test(name ?? '') || /^application\/(x-)?zip(-compressed)?$/.test(mimeType);
}

/** A zip by its first bytes (local file header or empty-archive end record). */
export function zipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

function openZip(buffer: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => (err || !zip ? reject(err ?? new Error('cannot open')) : resolve(zip)));
  });
}

function inflate(zip: ZipFile, entry: Entry, budget: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('cannot read entry'));
      const chunks: Buffer[] = [];
      let total = 0;
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > budget) {
          stream.destroy();
          reject(new Error('inflate budget exceeded'));
        } else chunks.push(chunk);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/**
 * Lists a zip's entry names from its central directory without extracting them; only
 * a nested .zip small enough for the byte budget is inflated, to list it in turn.
 */
export async function listZip(bytes: Uint8Array, limits: ArchiveLimits = defaultArchiveLimits): Promise<ArchiveListing> {
  const state = { entries: [] as ArchiveEntry[], encrypted: false, complete: true, detail: '', inflated: 0 };
  await walk(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), '', 1, limits, state);
  return { entries: state.entries, encrypted: state.encrypted, complete: state.complete, detail: state.detail };
}

type WalkState = ArchiveListing & { inflated: number };

async function walk(buffer: Buffer, prefix: string, depth: number, limits: ArchiveLimits, state: WalkState): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await openZip(buffer);
  } catch (err) {
    state.complete = false;
    state.detail = `${prefix || 'archive'}: not a readable zip (${(err as Error).message})`;
    return;
  }
  try {
    await new Promise<void>((resolve) => {
      const stop = (detail: string) => {
        state.complete = false;
        state.detail ||= detail;
        resolve();
      };
      zip.on('error', (err: Error) => stop(`${prefix || 'archive'}: ${err.message}`));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        void (async () => {
          if (state.entries.length >= limits.maxEntries) return stop(`more than ${limits.maxEntries} entries`);
          const isDirectory = entry.fileName.endsWith('/');
          const encrypted = (entry.generalPurposeBitFlag & 1) === 1;
          if (encrypted) state.encrypted = true;
          if (!isDirectory) {
            const name = entry.fileName.split('/').pop() ?? entry.fileName;
            state.entries.push({ path: `${prefix}${entry.fileName}`, name, encrypted, size: entry.uncompressedSize });
            if (/\.zip$/i.test(name) && !encrypted) {
              if (depth >= limits.maxDepth) {
                state.complete = false;
                state.detail ||= `archives nested deeper than ${limits.maxDepth}`;
              } else if (state.inflated + entry.uncompressedSize > limits.maxInflatedBytes) {
                state.complete = false;
                state.detail ||= `nested archive ${entry.fileName} is over the ${limits.maxInflatedBytes}-byte inspection budget`;
              } else {
                try {
                  const inner = await inflate(zip, entry, limits.maxInflatedBytes - state.inflated);
                  state.inflated += inner.length;
                  await walk(inner, `${prefix}${entry.fileName} › `, depth + 1, limits, state);
                } catch (err) {
                  state.complete = false;
                  state.detail ||= `${entry.fileName}: ${(err as Error).message}`;
                }
              }
            }
          }
          zip.readEntry();
        })();
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
