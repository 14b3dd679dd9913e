import type { Entry, ZipFile } from 'yauzl';
import { verbatim, type Prose } from '../prose.js';

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
  /** Why the listing is incomplete; empty when it is complete. */
  detail: Prose;
}

/** A zip by its declared name or type: known before any byte of the body is read. */
export function declaredZip(name: string | null, mimeType: string): boolean {
  return /\.zip$/i.test(name ?? '') || /^application\/(x-)?zip(-compressed)?$/.test(mimeType);
}

/** A zip by its first bytes (local file header or empty-archive end record). */
export function zipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/**
 * yauzl (with zlib behind it) loads with the first archive, not with every draft. It is
 * CommonJS: Node's import gives its exports as names and as `default`, the CLI bundle's
 * only as `default`.
 */
let yauzlLoading: Promise<typeof import('yauzl')> | undefined;

async function openZip(buffer: Buffer): Promise<ZipFile> {
  const loaded = (await (yauzlLoading ??= import('yauzl'))) as typeof import('yauzl') & { default?: typeof import('yauzl') };
  const { fromBuffer } = loaded.default ?? loaded;
  return new Promise((resolve, reject) => {
    fromBuffer(buffer, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => (err || !zip ? reject(err ?? new Error('cannot open')) : resolve(zip)));
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
  const state: WalkState = { entries: [], encrypted: false, complete: true, detail: verbatim(''), inflated: 0 };
  await walk(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), '', 1, limits, state);
  return { entries: state.entries, encrypted: state.encrypted, complete: state.complete, detail: state.detail };
}

type WalkState = ArchiveListing & { inflated: number };

/** The listing stops being complete; the first reason is the one reported. */
function incomplete(state: WalkState, detail: Prose): void {
  state.complete = false;
  if (!state.detail.en) state.detail = detail;
}

async function walk(buffer: Buffer, prefix: string, depth: number, limits: ArchiveLimits, state: WalkState): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await openZip(buffer);
  } catch (err) {
    incomplete(state, { en: `${prefix || 'archive'}: not a readable zip (${(err as Error).message})`, zh: `${prefix || '压缩包'}：不是可读的 zip（${(err as Error).message}）` });
    return;
  }
  try {
    await new Promise<void>((resolve) => {
      const stop = (detail: Prose) => {
        incomplete(state, detail);
        resolve();
      };
      zip.on('error', (err: Error) => stop({ en: `${prefix || 'archive'}: ${err.message}`, zh: `${prefix || '压缩包'}：${err.message}` }));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        void (async () => {
          if (state.entries.length >= limits.maxEntries) return stop({ en: `more than ${limits.maxEntries} entries`, zh: `超过 ${limits.maxEntries} 个条目` });
          const isDirectory = entry.fileName.endsWith('/');
          const encrypted = (entry.generalPurposeBitFlag & 1) === 1;
          if (encrypted) state.encrypted = true;
          if (!isDirectory) {
            const name = entry.fileName.split('/').pop() ?? entry.fileName;
            state.entries.push({ path: `${prefix}${entry.fileName}`, name, encrypted, size: entry.uncompressedSize });
            if (/\.zip$/i.test(name) && !encrypted) {
              if (depth >= limits.maxDepth) {
                incomplete(state, { en: `archives nested deeper than ${limits.maxDepth}`, zh: `压缩包嵌套超过 ${limits.maxDepth} 层` });
              } else if (state.inflated + entry.uncompressedSize > limits.maxInflatedBytes) {
                incomplete(state, {
                  en: `nested archive ${entry.fileName} is over the ${limits.maxInflatedBytes}-byte inspection budget`,
                  zh: `内层压缩包 ${entry.fileName} 超出 ${limits.maxInflatedBytes} 字节的检查预算`,
                });
              } else {
                try {
                  const inner = await inflate(zip, entry, limits.maxInflatedBytes - state.inflated);
                  state.inflated += inner.length;
                  await walk(inner, `${prefix}${entry.fileName} › `, depth + 1, limits, state);
                } catch (err) {
                  incomplete(state, verbatim(`${entry.fileName}: ${(err as Error).message}`));
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
