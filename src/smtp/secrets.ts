/**
 * What a server's words may never carry into presend's output: the password as typed, and
 * the base64 forms it crossed the wire in (AUTH PLAIN's whole string, AUTH LOGIN's line,
 * and the password's base64 at each of the three byte alignments, which is how it shows
 * inside any longer base64 a server might echo). Matched without regard to case, since a
 * server may echo a line upper-cased.
 */
const HIDDEN = '[credential hidden]';

/** The part of base64(prefix + secret + suffix) that the secret alone decides, for a prefix of `offset` bytes. */
function alignedCore(secret: Buffer, offset: number): string {
  const encode = (fill: number) => Buffer.concat([Buffer.alloc(offset, fill), secret, Buffer.alloc(2, fill)]).toString('base64');
  const a = encode(0x00);
  const b = encode(0xff);
  let start = 0;
  while (start < a.length && a[start] !== b[start]) start++;
  let end = start;
  while (end < a.length && a[end] === b[end]) end++;
  return a.slice(start, end);
}

export type Redact = (text: string) => string;

/** A function that hides every form of these secrets in a text; the identity when there are none. */
export function redactor(secrets: readonly string[]): Redact {
  const forms = new Set<string>();
  for (const secret of secrets.filter((s) => s.length > 0)) {
    forms.add(secret);
    const bytes = Buffer.from(secret, 'utf8');
    forms.add(bytes.toString('base64'));
    for (const offset of [0, 1, 2]) {
      const core = alignedCore(bytes, offset);
      if (core.length >= 4) forms.add(core);
    }
  }
  if (forms.size === 0) return (text) => text;
  const escaped = [...forms].sort((x, y) => y.length - x.length).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(escaped.join('|'), 'gi');
  return (text) => text.replace(pattern, HIDDEN);
}
