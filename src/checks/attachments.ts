import type { Check, Observation } from '../engine/types.js';
import type { ArchiveListing } from '../message/archive.js';
import type { AttachmentFact } from '../message/facts.js';
import { isExecutableType } from '../message/sniff.js';
import { needsMessage } from './needs-message.js';

/** Windows ignores trailing dots and spaces, so `run.bat. ` runs as `run.bat`. */
export function normaliseName(name: string): string {
  return name.replace(/[.\s]+$/u, '').toLowerCase();
}

export function extensionOf(name: string): string {
  const clean = normaliseName(name);
  const dot = clean.lastIndexOf('.');
  return dot > 0 ? clean.slice(dot) : '';
}

/** `invoice.pdf.exe` → `.pdf`: a document-looking extension in front of the real one. */
function innerExtension(name: string): string {
  const clean = normaliseName(name);
  const parts = clean.split('.');
  if (parts.length < 3) return '';
  const inner = `.${parts[parts.length - 2]}`;
  return /^\.(pdf|docx?|xlsx?|pptx?|txt|jpe?g|png|gif|zip|rar|html?|rtf|csv|mp3|mp4)$/.test(inner) ? inner : '';
}

/** Declared types that plainly contradict an executable or document name. */
const TYPE_FAMILIES: Record<string, RegExp> = {
  '.pdf': /^application\/pdf$/,
  '.jpg': /^image\//,
  '.jpeg': /^image\//,
  '.png': /^image\//,
  '.gif': /^image\//,
  '.txt': /^text\//,
  '.zip': /^application\/(x-)?zip/,
};
const EXECUTABLE = /^\.(exe|scr|pif|com|bat|cmd|vbs|vbe|js|jse|wsf|wsh|hta|msi|ps1|jar|lnk)$/;
const SAFE_LOOKING_TYPE = /^(image\/|text\/plain|application\/pdf|audio\/|video\/)/;

function typeMismatch(extension: string, declared: string): boolean {
  if (declared === 'application/octet-stream' || declared === '') return false;
  if (EXECUTABLE.test(extension)) return SAFE_LOOKING_TYPE.test(declared);
  const family = TYPE_FAMILIES[extension];
  return family ? !family.test(declared) && !/^application\/(octet-stream|x-download|force-download)$/.test(declared) : false;
}

function nameObservation(path: string, name: string, declaredType: string, inArchive: boolean, size: number): Observation {
  const extension = extensionOf(name);
  const inner = innerExtension(name);
  return {
    check: 'attachments',
    kind: 'attachment',
    data: {
      path,
      name,
      extension,
      innerExtension: inner,
      declaredType,
      doubleExtension: inner !== '' && EXECUTABLE.test(extension),
      typeMismatch: !inArchive && typeMismatch(extension, declaredType),
      inArchive,
    },
    evidence: { path, name, declaredType: inArchive ? undefined : declaredType, size },
  };
}

function archiveObservations(attachment: AttachmentFact, listing: ArchiveListing): Observation[] {
  const out = listing.entries.map((e) => nameObservation(`${attachment.path} › ${e.path}`, e.name, '', true, e.size));
  if (listing.encrypted || !listing.complete) {
    out.push({
      check: 'attachments',
      kind: 'archive',
      data: { path: attachment.path, encrypted: listing.encrypted, complete: listing.complete },
      prose: { detail: listing.detail },
      evidence: { path: attachment.path, entries: listing.entries.length, detail: listing.detail.en },
    });
  }
  return out;
}

/** A program by its bytes, under a name or declared type that says otherwise (an `.exe` inside `photo.jpg`). */
function contentObservation(attachment: AttachmentFact): Observation | null {
  if (!isExecutableType(attachment.sniffed)) return null;
  const name = attachment.filename ?? '';
  const extension = extensionOf(name);
  const disguised = !EXECUTABLE.test(extension) || SAFE_LOOKING_TYPE.test(attachment.declaredType);
  return {
    check: 'attachments',
    kind: 'content',
    data: { path: attachment.path, name, extension, declaredType: attachment.declaredType, sniffedType: attachment.sniffed!.ext, executable: true, disguised },
    evidence: { path: attachment.path, name: attachment.filename, declaredType: attachment.declaredType, content: `${attachment.sniffed!.ext} (${attachment.sniffed!.mime}) by its first bytes` },
  };
}

/** Attachment names (RFC 2231 / 2047 decoded), inside zips and forwarded messages too; contents by their bytes. */
export const attachmentsCheck: Check = {
  id: 'attachments',
  description: 'No attachment type the provider refuses, also inside archives and forwarded mail, whatever it is called',
  needsDns: false,
  skipReason: needsMessage,
  async run({ inputs }) {
    const out: Observation[] = [];
    for (const attachment of inputs.message!.attachments) {
      if (attachment.filename) out.push(nameObservation(attachment.path, attachment.filename, attachment.declaredType, false, attachment.size));
      const content = contentObservation(attachment);
      if (content) out.push(content);
      if (attachment.archive) out.push(...archiveObservations(attachment, attachment.archive));
      if (attachment.notInspected) {
        out.push({
          check: 'attachments',
          kind: 'not-inspected',
          data: { path: attachment.path },
          prose: { detail: attachment.notInspected },
          evidence: { path: attachment.path, size: attachment.size, declaredType: attachment.declaredType, detail: attachment.notInspected.en },
        });
      }
    }
    return out;
  },
};
