/** What reading a draft .eml yields: everything the message checks look at, and nothing they must re-parse. */
export interface MailboxFact {
  name: string;
  address: string;
}

export interface AttachmentFact {
  /** Where it sits: `report.zip`, `forwarded.eml › invoice.scr`, `a.zip › tools/run.cmd`. */
  path: string;
  /** The decoded file name (RFC 2231 / RFC 2047), or null when the part names none. */
  filename: string | null;
  /** Content-Type as declared (lower case). */
  declaredType: string;
  size: number;
  /** Inside an archive or a forwarded message. */
  nested: boolean;
  /** The bytes, for listing archives; absent for entries that are already archive members. */
  content?: Uint8Array;
}

export interface HeaderFact {
  key: string;
  value: string;
  /** The raw line as in the file, folds merged. */
  line: string;
}

export interface MessageFacts {
  file: string;
  rawSize: number;
  headers: HeaderFact[];
  from: MailboxFact[];
  /** The raw From header values: several headers is itself a problem. */
  fromHeaders: string[];
  sender: MailboxFact[];
  replyTo: MailboxFact[];
  to: MailboxFact[];
  cc: MailboxFact[];
  bcc: MailboxFact[];
  returnPath?: string;
  subject?: string;
  html?: string;
  text?: string;
  attachments: AttachmentFact[];
  /** Host names of links in the text and HTML bodies, for the domain blocklists. */
  linkDomains: string[];
  /** Raw bytes, for format checks and DKIM verification. */
  raw: Buffer;
}
