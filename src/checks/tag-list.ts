/**
 * A DKIM-style tag-list (RFC 6376 §3.2), which DMARC records use too (RFC 7489 §6.4):
 * `v=DKIM1; k=rsa; p=…` → tag map. Names are case-insensitive; values are trimmed, and
 * folding white space inside them (as in a split base64 key) is the reader's to remove.
 */
export function parseTagList(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    tags.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return tags;
}
