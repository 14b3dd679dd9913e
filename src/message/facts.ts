import type { Readable } from 'node:stream';
import type { ArchiveListing } from './archive.js';
import type { Prose } from '../prose.js';

/** What reading a draft .eml yields: everything the message checks look at, and nothing they must re-parse. */
export interface MailboxFact {
  name: string;
  address: string;
}

export interface AttachmentFact {
  /** Where it sits: `report.zip`, `forwarded.eml › invoice.scr`. */
  path: string;
  /** The decoded file name (RFC 2231 / RFC 2047), or null when the part names none. */
  filename: string | null;
  /** Content-Type as declared (lower case). */
  declaredType: string;
  /** Decoded size in bytes. */
  size: number;
  /** Inside a forwarded message. */
  nested: boolean;
  /** The line of the draft where the part's headers start (top-level parts only). */
  line?: number;
  /** What its first bytes are, by content (file-type), whatever its name or declared type says. */
  sniffed?: { ext: string; mime: string };
  /** The entries of a zip (recognised by name, type or bytes), listed while the draft was read. */
  archive?: ArchiveListing;
  /** Why its inside was not looked into although it should have been (too large, nested too deep, an archive format presend cannot list). */
  notInspected?: Prose;
}

export interface HeaderFact {
  key: string;
  value: string;
  /** The raw line as in the file, folds merged. */
  line: string;
}

/** Line and byte facts gathered while the draft streamed past, for the format check. */
export interface FormatFacts {
  longestLine: { length: number; line: number };
  crlf: number;
  bareLf: number;
  bareCr: number;
  /** 8-bit bytes in a body that is not base64 (where they are data, not text). */
  body8bit: boolean;
  /** Some part declares Content-Transfer-Encoding 8bit or binary. */
  declares8bit: boolean;
  hasTextPart: boolean;
  hasHtmlPart: boolean;
}

/** A readable body part (text/plain or text/html, not an attachment), for the content signals. */
export interface BodyPartFact {
  type: 'text/plain' | 'text/html';
  /** Content-Transfer-Encoding as declared (lower case). */
  encoding: string;
  /** Decoded size in bytes, counted in full even where the text was cut. */
  size: number;
  /** The decoded text in its charset, cut to MAX_BODY_PART_CHARS. */
  text: string;
  /** Its decoded bytes are all 7-bit: no encoding was needed to carry it. */
  ascii: boolean;
}

/** The shape of the MIME tree, for the content signals. */
export interface MimeShape {
  /** The top-level Content-Type (lower case; text/plain when none is given). */
  rootType: string;
  /** Every leaf part's type, in order (forwarded messages' insides excluded). */
  leafTypes: string[];
}

export interface MessageFacts {
  file: string;
  rawSize: number;
  headers: HeaderFact[];
  /** The line of each top-level header field's first occurrence. */
  headerLines: Map<string, number>;
  from: MailboxFact[];
  /** The raw From header values: several headers is itself a problem. */
  fromHeaders: string[];
  sender: MailboxFact[];
  replyTo: MailboxFact[];
  to: MailboxFact[];
  cc: MailboxFact[];
  bcc: MailboxFact[];
  returnPath?: string;
  attachments: AttachmentFact[];
  /** Host names of links in the text and HTML bodies, for the domain blocklists. */
  linkDomains: string[];
  /** The readable body parts, decoded, each cut to a bound. */
  bodies: BodyPartFact[];
  mime: MimeShape;
  /** The first readable body part as text (HTML without tags), cut to a few KB. */
  bodyText: string;
  /** The first Subject field, its RFC 2047 encoded words decoded ('' when there is none). */
  subject: string;
  /** A digest of the subject and the body parts: equal for the same mail sent again. */
  contentDigest: string;
  format: FormatFacts;
  /** The message bytes again, as a stream (re-read from disk): DKIM verification reads it whole. */
  openRaw(): Readable;
}
