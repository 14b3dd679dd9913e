/**
 * What an attachment is by its bytes, whatever its name or declared type: file-type
 * (the maintained magic-number library) reads the first bytes. Loaded on first use, so
 * a draft without attachments does not pay for it.
 */
export interface Sniffed {
  ext: string;
  mime: string;
}

/** file-type reads at most this many bytes for its answer. */
export const SNIFF_BYTES = 4100;

/** Programs a receiver refuses or flags whatever they are called. */
const EXECUTABLE_TYPES = new Set(['exe', 'elf', 'macho', 'msi', 'class', 'dex', 'wasm', 'swf', 'deb', 'rpm', 'apk', 'dmg', 'lnk', 'cab']);
/** Archives presend cannot list (it lists zip only): their inside goes unseen. */
const UNLISTED_ARCHIVE_TYPES = new Set(['rar', '7z', 'tar', 'gz', 'bz2', 'xz', 'zst', 'lz', 'lzh', 'arj', 'cpio', 'ace', 'iso', 'z', 'lz4', 'cab']);

let loading: Promise<typeof import('file-type')> | undefined;

export async function sniff(head: Uint8Array): Promise<Sniffed | undefined> {
  if (head.length === 0) return undefined;
  loading ??= import('file-type');
  const { fileTypeFromBuffer } = await loading;
  try {
    const found = await fileTypeFromBuffer(head);
    return found ? { ext: found.ext, mime: found.mime } : undefined;
  } catch {
    // Bytes file-type cannot make sense of are simply not recognised.
    return undefined;
  }
}

export function isExecutableType(sniffed: Sniffed | undefined): boolean {
  return sniffed !== undefined && EXECUTABLE_TYPES.has(sniffed.ext);
}

export function isUnlistedArchive(sniffed: Sniffed | undefined): boolean {
  return sniffed !== undefined && UNLISTED_ARCHIVE_TYPES.has(sniffed.ext);
}
