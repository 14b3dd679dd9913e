/**
 * Reading a draft as a stream: @zone-eu/mailsplit splits the MIME tree line by line
 * and presend keeps only what the checks need — headers, names, sizes, line facts,
 * link hosts, and the bytes of what must be looked into (archives, forwarded
 * messages). A 50 MB draft with a large attachment never sits in memory whole, which
 * postal-mime (used for bounces) would require.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { Readable } from 'node:stream';
import type { MimeNode } from '@zone-eu/mailsplit';
import libqp from 'libqp';
import { addressParser, decodeWords } from 'postal-mime';
import type { Address } from 'postal-mime';
import { UsageError } from '../errors.js';
import { readStdin } from '../files.js';
import type { Prose } from '../prose.js';
import { declaredZip, listZip, zipMagic } from './archive.js';
import { digest } from './digest.js';
import { fileStream } from './file-stream.js';
import { isUnlistedArchive, sniff, SNIFF_BYTES } from './sniff.js';
import type { AttachmentFact, BodyPartFact, FormatFacts, HeaderFact, MailboxFact, MessageFacts } from './facts.js';
import { headerLineNumbers } from './locate.js';
import { BoundedSplitter, MAX_MIME_DEPTH, tooDeep } from './splitter.js';

/** Forwarded messages inside forwarded messages: deeper than this is listed as not inspected. */
export const MAX_RFC822_DEPTH = 4;
/** Bytes of one part kept to look into (an archive, a forwarded message); beyond it the part is listed as not inspected. */
export const MAX_KEPT_PART_BYTES = 32 * 1024 * 1024;
/**
 * Bytes held for inspection at once in one draft, across parts and forwarded levels: each
 * part is looked into as soon as it ends and dropped, so this bounds a draft's memory
 * however many large archives it carries.
 */
export const MAX_HELD_BYTES = 48 * 1024 * 1024;
/** Bytes of a text body read for link hosts. */
const MAX_TEXT_BYTES = 2 * 1024 * 1024;
const MAX_LINK_DOMAINS = 100;
/** A header section or a MIME tree beyond these is hostile, not a draft. */
const MAX_HEAD_BYTES = 2 * 1024 * 1024;
const MAX_CHILD_NODES = 10_000;
/** Encoded bytes kept of any other attachment: enough for SNIFF_BYTES once base64 is decoded. */
const HEAD_ENCODED_BYTES = Math.ceil((SNIFF_BYTES * 4) / 3) + 256;

function mailboxes(value: Address[] | undefined): MailboxFact[] {
  return (value ?? []).flatMap((a) => (a.group ? a.group : [a])).map((m) => ({ name: m.name, address: m.address ?? '' }));
}

/** How much of the body the content checks read. */
const BODY_PREVIEW_CHARS = 4096;

/** Characters of one body part the content signals read: a longer part is judged on its beginning. */
export const MAX_BODY_PART_CHARS = 256 * 1024;

/** A body part's bytes as text in its charset (UTF-8 when the label is unknown). */
function decodeText(bytes: Buffer, charset: string): string {
  const label = charset.toLowerCase();
  // UTF-8, most drafts' charset, without setting up an ICU decoder (the first costs ≈ 2 ms); its byte order mark dropped as TextDecoder does.
  if (label === 'utf-8' || label === 'utf8') return bytes.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** A body part as a person reads it: HTML tags and entities dropped. */
function readableText(decoded: string, html: boolean): string {
  let text = decoded.slice(0, html ? MAX_BODY_PART_CHARS : BODY_PREVIEW_CHARS);
  if (html) text = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ');
  return text.slice(0, BODY_PREVIEW_CHARS);
}

/** Link host names in a body: the domain blocklists are asked about them. */
export function linkDomains(bodies: string[]): string[] {
  const found = new Set<string>();
  for (const body of bodies) {
    for (const m of body.matchAll(/\bhttps?:\/\/([a-z0-9.-]+\.[a-z]{2,63})(?=[/:?#"'<>\s)]|$)/gi)) {
      found.add(m[1]!.toLowerCase());
      if (found.size >= MAX_LINK_DOMAINS) return [...found];
    }
  }
  return [...found];
}

/** Line counts and lengths over a sequence of byte pieces, a line possibly spanning pieces. */
class LineStats {
  readonly facts: FormatFacts = {
    longestLine: { length: 0, line: 0 },
    crlf: 0,
    bareLf: 0,
    bareCr: 0,
    body8bit: false,
    declares8bit: false,
    hasTextPart: false,
    hasHtmlPart: false,
  };
  line = 1;
  private current = 0;
  private lastByte = -1;

  feed(piece: Buffer): void {
    let start = 0;
    for (let lf = piece.indexOf(0x0a); lf >= 0; lf = piece.indexOf(0x0a, start)) {
      const before = lf > 0 ? piece[lf - 1] : this.lastByte;
      const hasCr = before === 0x0d;
      if (hasCr) this.facts.crlf++;
      else this.facts.bareLf++;
      this.endLine(this.current + lf - start - (hasCr ? 1 : 0));
      this.current = 0;
      start = lf + 1;
    }
    this.current += piece.length - start;
    for (let cr = piece.indexOf(0x0d); cr >= 0; cr = piece.indexOf(0x0d, cr + 1)) {
      if (cr + 1 < piece.length && piece[cr + 1] !== 0x0a) this.facts.bareCr++;
    }
    if (piece.length > 0) this.lastByte = piece[piece.length - 1]!;
  }

  finish(): void {
    if (this.current > 0) this.endLine(this.current);
  }

  private endLine(length: number): void {
    if (length > this.facts.longestLine.length) this.facts.longestLine = { length, line: this.line };
    this.line++;
  }
}

/** Node's native check (SIMD): a byte loop here cost a 49 MB body ≈ 170 ms of one uninterrupted stretch. */
function hasHighByte(piece: Buffer): boolean {
  return !isAscii(piece);
}

interface Part {
  node: MimeNode;
  path: string;
  line: number;
  encoding: string;
  /** What is kept of the body: everything (to look into), text (links), or the first bytes (to recognise it). */
  keep: 'all' | 'text' | 'head' | 'none';
  chunks: Buffer[];
  /** A base64 part kept whole is decoded as it arrives. */
  decoded?: Base64Blocks;
  kept: number;
  encodedBytes: number;
  /** Why a part that should have been looked into was not. */
  dropped?: Prose;
  /** A text body past MAX_TEXT_BYTES: what was kept is read, the rest only counted. */
  capped?: boolean;
  /** Its first bytes were already tested for a zip signature. */
  zipTested?: boolean;
}

/** The base64 alphabet of encoded bytes: line breaks and anything else dropped before decoding. */
const base64Chars = (encoded: Buffer): string => encoded.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, '');

/**
 * Base64 decoded as it streams past, in blocks: a 30 MB attachment is held as its
 * decoded bytes in a few hundred buffers, not as 400,000 encoded line buffers.
 */
class Base64Blocks {
  private pending = '';
  readonly blocks: Buffer[] = [];

  push(encoded: Buffer): void {
    this.pending += base64Chars(encoded);
    if (this.pending.length >= 64 * 1024) this.flush(false);
  }

  finish(): Buffer {
    this.flush(true);
    return Buffer.concat(this.blocks);
  }

  private flush(final: boolean): void {
    const usable = final ? this.pending.length : this.pending.length - (this.pending.length % 4);
    this.blocks.push(Buffer.from(this.pending.slice(0, usable), 'base64'));
    this.pending = this.pending.slice(usable);
  }
}

function decode(chunks: Buffer[], encoding: string): Buffer {
  const joined = Buffer.concat(chunks);
  if (encoding === 'base64') return Buffer.from(base64Chars(joined), 'base64');
  if (encoding === 'quoted-printable') return libqp.decode(joined.toString('latin1'));
  return joined;
}

function decodedSize(part: Part): number {
  return part.encoding === 'base64' ? Math.floor((part.encodedBytes * 3) / 4) : part.encodedBytes;
}

interface Walked {
  headers: HeaderFact[];
  headerLines: Map<string, number>;
  attachments: AttachmentFact[];
  texts: string[];
  bodies: BodyPartFact[];
  rootType: string;
  leafTypes: string[];
  /** The first readable body part, as text in its own charset, cut to BODY_PREVIEW_CHARS. */
  bodyText?: string;
}

/** The bytes one draft holds for inspection right now, shared by every part and forwarded level. */
interface HeldBudget {
  held: number;
}

/** True for parts that are the message's readable body rather than an attachment. */
function isBodyText(node: MimeNode): boolean {
  const type = node.contentType || 'text/plain';
  return (type === 'text/plain' || type === 'text/html') && node.disposition !== 'attachment' && !node.filename;
}

type SplitterData = MimeNode | { type: 'data' | 'body'; value: Buffer; node: MimeNode };

/**
 * One pass over a message (or a forwarded one inside it). Each part is looked into
 * when it ends — a zip listed, a forwarded message walked, its first bytes sniffed —
 * and its bytes dropped before the next part is read: the stream waits meanwhile.
 * Line facts are gathered for the top level only: a forwarded message's lines were
 * counted as its container's body.
 */
async function walk(stream: Readable, prefix: string, depth: number, stats: LineStats | null, budget: HeldBudget): Promise<Walked> {
  const splitter = new BoundedSplitter({ ignoreEmbedded: true, maxHeadSize: MAX_HEAD_BYTES, maxChildNodes: MAX_CHILD_NODES });
  const out: Walked = { headers: [], headerLines: new Map(), attachments: [], texts: [], bodies: [], rootType: 'text/plain', leafTypes: [] };
  let part: Part | null = null;

  const release = (p: Part) => {
    if (p.keep === 'all') budget.held -= p.kept;
    p.chunks = [];
    delete p.decoded;
  };

  const finish = async (p: Part | null): Promise<void> => {
    if (!p) return;
    const { node } = p;
    const type = node.contentType || 'text/plain';
    if (isBodyText(node)) {
      if (p.keep !== 'text') return;
      const bytes = decode(p.chunks, p.encoding);
      out.texts.push(bytes.toString('latin1'));
      const text = decodeText(bytes, node.charset || 'utf-8');
      out.bodies.push({ type: type as BodyPartFact['type'], encoding: p.encoding, size: decodedSize(p), text: text.slice(0, MAX_BODY_PART_CHARS), ascii: isAscii(bytes) });
      out.bodyText ??= readableText(text, type === 'text/html');
      return;
    }
    const whole = p.keep === 'all' ? (p.decoded ? p.decoded.finish() : decode(p.chunks, p.encoding)) : undefined;
    const head = whole ? whole.subarray(0, SNIFF_BYTES) : p.chunks.length > 0 ? decode(p.chunks, p.encoding).subarray(0, SNIFF_BYTES) : undefined;
    release(p);
    const sniffed = head ? await sniff(head) : undefined;
    const fact: AttachmentFact = {
      path: p.path,
      filename: node.filename || null,
      declaredType: type,
      size: decodedSize(p),
      nested: depth > 0,
      ...(depth === 0 ? { line: p.line } : {}),
      ...(sniffed ? { sniffed } : {}),
    };
    out.attachments.push(fact);
    const isZip = declaredZip(fact.filename, type) || (head !== undefined && zipMagic(head));
    if (tooDeep(node)) {
      fact.notInspected = { en: `MIME parts nested deeper than ${MAX_MIME_DEPTH}`, zh: `MIME 部分嵌套超过 ${MAX_MIME_DEPTH} 层` };
    } else if (type === 'message/rfc822') {
      if (p.dropped) fact.notInspected = p.dropped;
      else if (depth >= MAX_RFC822_DEPTH) fact.notInspected = { en: `forwarded messages nested deeper than ${MAX_RFC822_DEPTH}`, zh: `转发邮件嵌套超过 ${MAX_RFC822_DEPTH} 层` };
      else if (whole) {
        try {
          const inner = await walk(Readable.from([whole]), `${p.path} › `, depth + 1, null, budget);
          out.attachments.push(...inner.attachments);
        } catch {
          // A forwarded part that is not a message keeps its own entry; nothing more to list.
        }
      }
    } else if (isZip) {
      if (whole) fact.archive = await listZip(whole);
      else fact.notInspected = p.dropped ?? { en: 'its bytes were not kept', zh: '其字节未被保留' };
    } else if (isUnlistedArchive(sniffed)) {
      fact.notInspected = { en: `a ${sniffed!.ext} archive: presend lists the inside of zip archives only`, zh: `${sniffed!.ext} 压缩包：presend 只列出 zip 压缩包的内容` };
    }
  };

  const onNode = async (node: MimeNode) => {
    await finish(part);
    part = null;
    const headerBytes = node.headers ? node.headers.build() : Buffer.alloc(0);
    const line = stats?.line ?? 0;
    stats?.feed(headerBytes);
    if (node.root) out.rootType = node.contentType || 'text/plain';
    if (node.root && node.headers) {
      out.headerLines = headerLineNumbers(headerBytes);
      out.headers = node.headers.getList().map((h) => {
        // mailsplit keeps header lines as binary strings: their bytes are UTF-8 (or 7-bit) text.
        const raw = Buffer.isBuffer(h.line) ? h.line.toString('utf8') : Buffer.from(String(h.line), 'latin1').toString('utf8');
        const unfolded = raw.replace(/\r?\n[ \t]+/g, ' ').replace(/\r?\n$/, '');
        return { key: h.key, value: unfolded.slice(unfolded.indexOf(':') + 1).trim(), line: unfolded };
      });
    }
    if (stats) {
      if (node.encoding === '8bit' || node.encoding === 'binary') stats.facts.declares8bit = true;
      if (!node.multipart && (node.contentType || 'text/plain') === 'text/plain') stats.facts.hasTextPart = true;
      if (node.contentType === 'text/html' && isBodyText(node)) stats.facts.hasHtmlPart = true;
    }
    if (node.multipart) return;
    const type = node.contentType || 'text/plain';
    out.leafTypes.push(type);
    const label = node.filename || (type === 'message/rfc822' ? 'forwarded message' : `(unnamed ${type})`);
    const keep = isBodyText(node) ? 'text' : type === 'message/rfc822' || declaredZip(node.filename || null, type) ? 'all' : 'head';
    part = { node, path: `${prefix}${label}`, line, encoding: node.encoding || '7bit', keep, chunks: [], kept: 0, encodedBytes: 0 };
    if (keep === 'all') startDecoding(part);
  };

  const startDecoding = (p: Part) => {
    if (p.encoding !== 'base64') return;
    p.decoded = new Base64Blocks();
    for (const chunk of p.chunks) p.decoded.push(chunk);
    p.chunks = [];
  };

  const onBody = (p: Part, value: Buffer) => {
    p.encodedBytes += p.encoding === 'base64' ? value.toString('latin1').replace(/[^A-Za-z0-9+/]/g, '').length : value.length;
    if (stats && p.encoding !== 'base64' && !stats.facts.body8bit && hasHighByte(value)) stats.facts.body8bit = true;
    if (p.keep === 'none') return;
    if (p.keep === 'all') {
      const over: Prose | undefined =
        p.kept + value.length > MAX_KEPT_PART_BYTES
          ? { en: `larger than the ${MAX_KEPT_PART_BYTES}-byte inspection budget of one part`, zh: `超出单个部分 ${MAX_KEPT_PART_BYTES} 字节的检查预算` }
          : budget.held + value.length > MAX_HELD_BYTES
            ? { en: `the draft's ${MAX_HELD_BYTES}-byte inspection budget was in use`, zh: `草稿 ${MAX_HELD_BYTES} 字节的检查预算已被占用` }
            : undefined;
      if (over) {
        release(p);
        p.keep = 'none';
        p.dropped = over;
        return;
      }
      budget.held += value.length;
    } else if (p.capped) {
      return;
    } else if (p.kept + value.length > (p.keep === 'text' ? MAX_TEXT_BYTES : HEAD_ENCODED_BYTES)) {
      // A text body past its cap keeps what it has for links and content; any other part keeps its head for the sniffer.
      if (p.keep === 'text') p.capped = true;
      else p.keep = 'none';
      return;
    }
    p.kept += value.length;
    if (p.decoded) p.decoded.push(value);
    else p.chunks.push(value);
    // An attachment named or typed otherwise may still be a zip: its first decoded bytes say so, once.
    if (p.keep === 'head' && !p.zipTested && p.kept >= 8) {
      p.zipTested = true;
      if (zipMagic(decode(p.chunks, p.encoding))) {
        p.keep = 'all';
        budget.held += p.kept;
        startDecoding(p);
      }
    }
  };

  stream.on('error', (err) => splitter.destroy(err));
  // Ended by hand: a pipe that ends its destination reads process.stdout to rule it out,
  // and that getter sets up standard output's stream (≈ 3 ms for a pipe, which presend
  // writes directly).
  stream.pipe(splitter, { end: false });
  stream.once('end', () => splitter.end());
  // Iterating (rather than listening) lets the reader wait while a part is looked into.
  for await (const data of splitter as unknown as AsyncIterable<SplitterData>) {
    if (data.type === 'node') {
      await onNode(data as MimeNode);
      continue;
    }
    const piece = data as { type: 'data' | 'body'; value: Buffer };
    stats?.feed(piece.value);
    if (piece.type === 'body' && part) onBody(part, piece.value);
  }
  await finish(part);
  stats?.finish();
  return out;
}

async function messageFromStream(file: string, rawSize: number, openRaw: () => Readable): Promise<MessageFacts> {
  const stats = new LineStats();
  let walked: Walked;
  try {
    walked = await walk(openRaw(), '', 0, stats, { held: 0 });
  } catch (err) {
    throw new UsageError(`${file}: cannot be read as MIME (${(err as Error).message})`);
  }
  const values = (key: string) => walked.headers.filter((h) => h.key === key).map((h) => h.value);
  const parse = (key: string) => mailboxes(values(key).flatMap((v) => addressParser(v, { flatten: true })));
  const returnPath = values('return-path')[0];
  const subjects = values('subject');
  return {
    file,
    rawSize,
    headers: walked.headers,
    headerLines: walked.headerLines,
    // Every author, not only the first: RFC 5322 allows several, which matters for the Sender rule.
    from: parse('from'),
    fromHeaders: values('from'),
    sender: parse('sender'),
    replyTo: parse('reply-to'),
    to: parse('to'),
    cc: parse('cc'),
    bcc: parse('bcc'),
    ...(returnPath !== undefined ? { returnPath: returnPath.replace(/^<(.*)>$/, '$1').trim() } : {}),
    attachments: walked.attachments,
    linkDomains: linkDomains(walked.texts),
    bodies: walked.bodies,
    mime: { rootType: walked.rootType, leafTypes: walked.leafTypes },
    bodyText: walked.bodyText ?? '',
    subject: decodeWords(subjects[0] ?? ''),
    // Subject and body bytes: drafts of one run that share it are the same mail sent again.
    contentDigest: digest(subjects.join('\n'), ...walked.texts),
    format: stats.facts,
    openRaw,
  };
}

/** Refuses what is not a message at all, naming the file; anything message-shaped is left to the checks. */
function assertMessageShaped(file: string, head: Buffer, size: number): void {
  if (size === 0) throw new UsageError(`${file}: empty file, not a message`);
  if (head.includes(0)) throw new UsageError(`${file}: binary data (NUL bytes), not an RFC 5322 message`);
  const firstLine = head.toString('latin1').split(/\r?\n/, 1)[0] ?? '';
  if (!/^[\x21-\x39\x3b-\x7e]+:/.test(firstLine) && !/^From /.test(firstLine)) {
    throw new UsageError(`${file}: does not start with a header field, not an RFC 5322 message`);
  }
}

/** A draft on standard input (`-`) is held whole, so it is capped. */
export const MAX_STDIN_DRAFT_BYTES = 64 * 1024 * 1024;

export async function readMessage(file: string): Promise<MessageFacts> {
  if (file === '-') {
    const raw = await readStdin('eml -', MAX_STDIN_DRAFT_BYTES);
    assertMessageShaped('stdin', raw.subarray(0, 8192), raw.length);
    return messageFacts('stdin', raw);
  }
  let size: number;
  const head = Buffer.alloc(8192);
  let headLength: number;
  try {
    // Synchronous, as the draft's stream is (see file-stream.ts).
    const info = statSync(file);
    if (!info.isFile()) throw new UsageError(`${file}: not a regular file`);
    size = info.size;
    const fd = openSync(file, 'r');
    try {
      headLength = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  assertMessageShaped(file, head.subarray(0, headLength), size);
  return messageFromStream(file, size, () => fileStream(file));
}

/** The same facts from bytes already in memory: whole, or in the pieces they arrived in (the sink), never copied into one. */
export async function messageFacts(file: string, raw: Buffer | readonly Buffer[]): Promise<MessageFacts> {
  const pieces = Buffer.isBuffer(raw) ? [raw] : raw;
  return messageFromStream(file, pieces.reduce((n, p) => n + p.length, 0), () => Readable.from(pieces));
}
