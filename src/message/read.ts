import { readFile, stat } from 'node:fs/promises';
import PostalMime, { addressParser } from 'postal-mime';
import type { Address, Attachment, Email } from 'postal-mime';
import { UsageError } from '../engine/errors.js';
import type { AttachmentFact, MailboxFact, MessageFacts } from './facts.js';

/** Forwarded messages inside forwarded messages: deeper than this is listed, not opened. */
const MAX_RFC822_DEPTH = 4;
/** postal-mime holds the whole message in memory; beyond this presend refuses rather than exhausts it. */
export const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;
const MAX_LINK_DOMAINS = 100;

function mailboxes(value: Address | Address[] | undefined): MailboxFact[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => (a.group ? a.group : [a])).map((m) => ({ name: m.name, address: m.address ?? '' }));
}

function bytesOf(content: Attachment['content']): Uint8Array {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

/** Link host names in the bodies: the domain blocklists are asked about them. */
export function linkDomains(text: string | undefined, html: string | undefined): string[] {
  const found = new Set<string>();
  for (const body of [text ?? '', html ?? '']) {
    for (const m of body.matchAll(/\bhttps?:\/\/([a-z0-9.-]+\.[a-z]{2,63})(?=[/:?#"'<>\s)]|$)/gi)) {
      found.add(m[1]!.toLowerCase());
      if (found.size >= MAX_LINK_DOMAINS) return [...found];
    }
  }
  return [...found];
}

async function parse(raw: Uint8Array): Promise<Email> {
  return PostalMime.parse(raw, { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer', maxNestingDepth: 64, maxHeadersSize: 2 * 1024 * 1024 });
}

/** Attachments, recursing into forwarded messages (postal-mime leaves them whole with forceRfc822Attachments). */
async function collectAttachments(email: Email, prefix: string, depth: number): Promise<AttachmentFact[]> {
  const out: AttachmentFact[] = [];
  for (const attachment of email.attachments) {
    const content = bytesOf(attachment.content);
    const label = attachment.filename ?? (attachment.mimeType === 'message/rfc822' ? 'forwarded message' : `(unnamed ${attachment.mimeType})`);
    const path = `${prefix}${label}`;
    out.push({ path, filename: attachment.filename, declaredType: attachment.mimeType, size: content.byteLength, nested: depth > 0, content });
    if (attachment.mimeType === 'message/rfc822' && depth < MAX_RFC822_DEPTH) {
      try {
        out.push(...(await collectAttachments(await parse(content), `${path} › `, depth + 1)));
      } catch {
        // A forwarded part that is not a message keeps its own entry above; nothing more to list.
      }
    }
  }
  return out;
}

/** Refuses what is not a message at all, naming the file; anything message-shaped is left to the checks. */
function assertMessageShaped(file: string, raw: Buffer): void {
  if (raw.length === 0) throw new UsageError(`${file}: empty file, not a message`);
  const head = raw.subarray(0, 8192);
  if (head.includes(0)) throw new UsageError(`${file}: binary data (NUL bytes), not an RFC 5322 message`);
  const firstLine = head.toString('latin1').split(/\r?\n/, 1)[0] ?? '';
  if (!/^[\x21-\x39\x3b-\x7e]+:/.test(firstLine) && !/^From /.test(firstLine)) {
    throw new UsageError(`${file}: does not start with a header field, not an RFC 5322 message`);
  }
}

export async function readMessage(file: string): Promise<MessageFacts> {
  let raw: Buffer;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file}: not a regular file`);
    if (info.size > MAX_MESSAGE_BYTES) throw new UsageError(`${file}: ${info.size} bytes is over presend's ${MAX_MESSAGE_BYTES}-byte reading limit`);
    raw = await readFile(file);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  assertMessageShaped(file, raw);
  return messageFacts(file, raw);
}

export async function messageFacts(file: string, raw: Buffer): Promise<MessageFacts> {
  let email: Email;
  try {
    email = await parse(raw);
  } catch (err) {
    throw new UsageError(`${file}: cannot be read as MIME (${(err as Error).message})`);
  }
  return {
    file,
    rawSize: raw.length,
    headers: email.headers.map((h, i) => ({ key: h.key, value: h.value, line: email.headerLines[i]?.line ?? `${h.originalKey}: ${h.value}` })),
    // postal-mime's `from` keeps only the first author; RFC 5322 allows several, which matters (Sender rule).
    from: email.headers.filter((h) => h.key === 'from').flatMap((h) => mailboxes(addressParser(h.value, { flatten: true }))),
    fromHeaders: email.headers.filter((h) => h.key === 'from').map((h) => h.value),
    sender: mailboxes(email.sender),
    replyTo: mailboxes(email.replyTo),
    to: mailboxes(email.to),
    cc: mailboxes(email.cc),
    bcc: mailboxes(email.bcc),
    returnPath: email.returnPath,
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments: await collectAttachments(email, '', 0),
    linkDomains: linkDomains(email.text, email.html),
    raw,
  };
}
