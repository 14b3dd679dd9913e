import PostalMime from 'postal-mime';
import { UsageError } from '../errors.js';
import { fileLimits, readRegularFile } from '../files.js';

/**
 * A bounce's reports come first — the human-readable part, then message/delivery-status —
 * and the returned message (up to the size of the original) last: only this much of the
 * file is parsed, so a bounce carrying a 20 MiB original costs what a small one does.
 */
const PARSED_BYTES = 1024 * 1024;

/**
 * The text of a bounce message where reply lines can be: the human-readable part,
 * the machine-readable message/delivery-status part, and the raw headers.
 */
export async function bounceText(file: string): Promise<string> {
  const whole = readRegularFile(file, `--file ${file}`, fileLimits.bounce);
  if (whole.length === 0) throw new UsageError(`${file}: empty file, not a bounce message`);
  const raw = whole.subarray(0, PARSED_BYTES);
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
