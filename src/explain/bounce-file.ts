import { readFile } from 'node:fs/promises';
import PostalMime from 'postal-mime';
import { UsageError } from '../errors.js';

const MAX_BOUNCE_BYTES = 20 * 1024 * 1024;

/**
 * The text of a bounce message where reply lines can be: the human-readable part,
 * the machine-readable message/delivery-status part, and the raw headers.
 */
export async function bounceText(file: string): Promise<string> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    throw new UsageError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (raw.length === 0) throw new UsageError(`${file}: empty file, not a bounce message`);
  if (raw.length > MAX_BOUNCE_BYTES) throw new UsageError(`${file}: ${raw.length} bytes is larger than a bounce message can be`);
  const parts: string[] = [];
  try {
    const email = await PostalMime.parse(raw, { attachmentEncoding: 'utf8', maxHeadersSize: 1024 * 1024 });
    parts.push(email.headerLines.map((h) => h.line).join('\n'));
    if (email.text) parts.push(email.text);
    for (const attachment of email.attachments) {
      if (/^(message\/(delivery-status|global-delivery-status)|text\/)/.test(attachment.mimeType) && typeof attachment.content === 'string') {
        parts.push(attachment.content);
      }
    }
  } catch {
    // Not MIME at all: the raw text may still hold the reply line.
  }
  parts.push(raw.toString('utf8'));
  return parts.join('\n');
}
