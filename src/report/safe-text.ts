/**
 * Untrusted text (DNS TXT records, header values, attachment names, bounce lines) on
 * its way to a terminal or a log: C0 and C1 control characters and DEL become visible
 * escapes, so an ESC or OSC sequence in a record cannot move the cursor, retitle the
 * window or forge a line; bidirectional overrides become visible too, so a name cannot
 * read backwards (Trojan Source, CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_AND_NEWLINES = /[\x00-\x1f\x7f-\x9f]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** XML 1.0 §2.2 excludes these even when escaped: lone surrogates and U+FFFE/U+FFFF. */
const NOT_XML = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
const codePoint = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

/** One line of text safe for a terminal: newlines and tabs are escaped too. */
export function safeLine(text: string): string {
  return text.replace(CONTROL_AND_NEWLINES, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : hex(c))).replace(BIDI, codePoint);
}

/** Text safe for a terminal or an XML document, keeping its line breaks and tabs. */
export function safeText(text: string): string {
  return text.replace(CONTROL, hex).replace(BIDI, codePoint).replace(NOT_XML, codePoint);
}

/**
 * JSON text with DEL, the C1 controls, the line and paragraph separators and the bidi
 * controls written as \u escapes: JSON.stringify leaves them raw, and a reply, paste or TXT
 * record could carry them into a log viewer or a terminal that `jq` prints to. Inside JSON
 * they can only stand in strings, where the escape means the same character.
 */
export function safeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
