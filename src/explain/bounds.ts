/**
 * What of a paste is read: a reply is a line or a few, so a paste past READ_WHOLE is cut
 * down to the lines that can hold one — a DSN's Diagnostic-Code, Remote-MTA-Reply and
 * Status fields, and lines with a three-digit status or a provider token in them — up to
 * MAX_LINES of them and MAX_READ characters. A megabyte of log costs what a page does,
 * and what is echoed back is bounded too.
 */
export const READ_WHOLE = 64 * 1024;
const MAX_READ = 64 * 1024;
const MAX_LINES = 200;
/** The most of a paste an explanation echoes back (`input`, the reply read). */
export const MAX_ECHO = 2000;

const CAN_HOLD_A_REPLY = /^\s*(?:Diagnostic-Code|Remote-MTA-Reply|Status|Action):|(?:^|[^\d.])[245]\d\d(?:[ -]|$)|\b[A-Z]{2}:[A-Z]{3}\b/i;

export function readablePart(text: string): string {
  if (text.length <= READ_WHOLE) return text;
  const kept: string[] = [];
  let size = 0;
  // Folded header fields (a long Diagnostic-Code) are joined first, as they are read.
  for (const line of text.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    if (!CAN_HOLD_A_REPLY.test(line)) continue;
    const piece = line.slice(0, 4096);
    if (kept.length >= MAX_LINES || size + piece.length > MAX_READ) break;
    kept.push(piece);
    size += piece.length + 1;
  }
  return kept.join('\n');
}

/** Text echoed back, cut at MAX_ECHO characters with an ellipsis. */
export function echoed(text: string): string {
  return text.length <= MAX_ECHO ? text : `${text.slice(0, MAX_ECHO)}…`;
}
