/**
 * RFC 1035 §5 master-file reader.
 *
 * Written by hand because the npm parsers we tried get the common cases wrong:
 * dnsz 4.5 reads an absolute owner such as `5.113.0.203.in-addr.arpa.` as a TTL and
 * leaves relative names inside RDATA unqualified; dns-zonefile 0.3 drops the second
 * half of a parenthesised multi-line TXT record and double-qualifies absolute names.
 * A zone here decides SPF and DMARC verdicts, so a misread record is a wrong verdict.
 */
import { canonicalName, type RecordType, type ResourceRecord } from './records.js';

export interface ZoneRecord {
  name: string;
  ttl: number;
  record: ResourceRecord;
  line: number;
}

export interface ParsedZone {
  /** Every $ORIGIN the file names: the zone answers authoritatively below each. */
  origins: string[];
  records: ZoneRecord[];
}

export class ZoneFileError extends Error {
  override readonly name = 'ZoneFileError';
}

interface Token {
  text: string;
  quoted: boolean;
}

interface LogicalLine {
  tokens: Token[];
  /** The entry began with white space: its owner is the previous entry's. */
  ownerOmitted: boolean;
  line: number;
}

const KNOWN_TYPES = new Set<string>(['A', 'AAAA', 'MX', 'TXT', 'PTR', 'CNAME', 'NS', 'SPF', 'SOA']);
const CLASSES = new Set(['IN', 'CH', 'HS']);

/** Splits the file into entries, joining parenthesised continuations and honouring quotes and `;` comments. */
function logicalLines(text: string, file: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let tokens: Token[] = [];
  let depth = 0;
  let lineNo = 1;
  let startLine = 1;
  let ownerOmitted = false;
  let atLineStart = true;
  let i = 0;
  const flush = () => {
    if (tokens.length > 0) lines.push({ tokens, ownerOmitted, line: startLine });
    tokens = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      lineNo++;
      i++;
      if (depth === 0) {
        flush();
        atLineStart = true;
      }
      continue;
    }
    if (atLineStart && depth === 0) {
      startLine = lineNo;
      ownerOmitted = ch === ' ' || ch === '\t';
      atLineStart = false;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (ch === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '(') {
      depth++;
      i++;
    } else if (ch === ')') {
      if (depth === 0) throw new ZoneFileError(`${file}:${lineNo}: ")" without "("`);
      depth--;
      i++;
    } else if (ch === '"') {
      const bytes: number[] = [];
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i]!;
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === '\n') lineNo++;
        if (c === '\\') {
          const digits = text.slice(i + 1, i + 4);
          if (/^\d{3}$/.test(digits)) {
            bytes.push(Number(digits));
            i += 4;
          } else {
            bytes.push(...Buffer.from(text[i + 1] ?? '', 'utf8'));
            i += 2;
          }
          continue;
        }
        const cp = text.codePointAt(i)!;
        const char = String.fromCodePoint(cp);
        bytes.push(...Buffer.from(char, 'utf8'));
        i += char.length;
      }
      if (!closed) throw new ZoneFileError(`${file}:${lineNo}: unterminated quoted string`);
      tokens.push({ text: Buffer.from(bytes).toString('utf8'), quoted: true });
    } else {
      let word = '';
      while (i < text.length && !/[\s;()"]/.test(text[i]!)) {
        if (text[i] === '\\' && i + 1 < text.length) {
          word += text[i + 1];
          i += 2;
        } else {
          word += text[i];
          i++;
        }
      }
      tokens.push({ text: word, quoted: false });
    }
  }
  if (depth !== 0) throw new ZoneFileError(`${file}:${startLine}: "(" is never closed`);
  flush();
  return lines;
}

function qualify(name: string, origin: string, file: string, line: number): string {
  if (name === '@') {
    if (!origin) throw new ZoneFileError(`${file}:${line}: "@" used before $ORIGIN`);
    return origin;
  }
  if (name.endsWith('.')) return canonicalName(name);
  if (!origin) throw new ZoneFileError(`${file}:${line}: relative name "${name}" before $ORIGIN`);
  return canonicalName(`${name}.${origin}`);
}

function parseTtl(text: string): number | undefined {
  const m = /^(\d+)([smhdw]?)$/i.exec(text);
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2]!.toLowerCase()] ?? 1;
  return Number(m[1]) * unit;
}

function parseRdata(type: RecordType, rdata: Token[], origin: string, file: string, line: number): ResourceRecord {
  const need = (n: number) => {
    if (rdata.length < n) throw new ZoneFileError(`${file}:${line}: ${type} needs ${n} field(s), got ${rdata.length}`);
  };
  switch (type) {
    case 'A': {
      need(1);
      const value = rdata[0]!.text;
      if (!/^(\d{1,3})(\.\d{1,3}){3}$/.test(value) || value.split('.').some((o) => Number(o) > 255)) {
        throw new ZoneFileError(`${file}:${line}: "${value}" is not an IPv4 address`);
      }
      return { type, value };
    }
    case 'AAAA': {
      need(1);
      const value = rdata[0]!.text.toLowerCase();
      if (!/^[0-9a-f:.]+$/.test(value) || !value.includes(':')) throw new ZoneFileError(`${file}:${line}: "${value}" is not an IPv6 address`);
      return { type, value };
    }
    case 'MX': {
      need(2);
      const priority = Number(rdata[0]!.text);
      if (!Number.isInteger(priority) || priority < 0 || priority > 65535) {
        throw new ZoneFileError(`${file}:${line}: MX preference "${rdata[0]!.text}" is not 0-65535`);
      }
      const exchange = rdata[1]!.text === '.' ? '' : qualify(rdata[1]!.text, origin, file, line);
      return { type, priority, exchange };
    }
    case 'TXT':
    case 'SPF': {
      need(1);
      // An over-long string is kept, not refused: a zone is often a draft of a record,
      // and the spf-record check reports it as a finding. The server splits it on the wire.
      return { type, strings: rdata.map((t) => t.text) };
    }
    case 'PTR':
    case 'CNAME':
    case 'NS':
      need(1);
      return { type, value: qualify(rdata[0]!.text, origin, file, line) };
  }
}

export function parseZoneFile(text: string, file = 'zone', defaultOrigin = ''): ParsedZone {
  let origin = defaultOrigin ? canonicalName(defaultOrigin) : '';
  const origins = origin ? [origin] : [];
  let defaultTtl = 3600;
  let previousOwner = '';
  const records: ZoneRecord[] = [];
  for (const { tokens, ownerOmitted, line } of logicalLines(text, file)) {
    const head = tokens[0]!;
    if (!head.quoted && head.text.startsWith('$')) {
      const directive = head.text.toUpperCase();
      if (directive === '$ORIGIN') {
        const value = tokens[1]?.text;
        if (!value || !value.endsWith('.')) throw new ZoneFileError(`${file}:${line}: $ORIGIN needs an absolute name (ending in ".")`);
        origin = canonicalName(value);
        if (!origins.includes(origin)) origins.push(origin);
      } else if (directive === '$TTL') {
        const ttl = parseTtl(tokens[1]?.text ?? '');
        if (ttl === undefined) throw new ZoneFileError(`${file}:${line}: $TTL needs a number`);
        defaultTtl = ttl;
      } else {
        throw new ZoneFileError(`${file}:${line}: ${head.text} is not supported (only $ORIGIN and $TTL)`);
      }
      continue;
    }
    let rest = tokens;
    let owner: string;
    if (ownerOmitted) {
      if (!previousOwner) throw new ZoneFileError(`${file}:${line}: a record with no owner name and none before it`);
      owner = previousOwner;
    } else {
      owner = qualify(head.text, origin, file, line);
      rest = tokens.slice(1);
    }
    previousOwner = owner;
    let ttl = defaultTtl;
    let index = 0;
    // TTL and class may come in either order, both optional (RFC 1035 §5.1).
    for (let k = 0; k < 2 && index < rest.length; k++) {
      const word = rest[index]!.text;
      const asTtl = parseTtl(word);
      if (asTtl !== undefined) {
        ttl = asTtl;
        index++;
      } else if (CLASSES.has(word.toUpperCase())) {
        index++;
      }
    }
    const typeText = rest[index]?.text.toUpperCase();
    if (!typeText) throw new ZoneFileError(`${file}:${line}: no record type`);
    if (!KNOWN_TYPES.has(typeText)) throw new ZoneFileError(`${file}:${line}: record type "${rest[index]!.text}" is not supported`);
    if (typeText === 'SOA') continue;
    const record = parseRdata(typeText as RecordType, rest.slice(index + 1), origin, file, line);
    records.push({ name: owner, ttl, record, line });
  }
  if (origins.length === 0) {
    throw new ZoneFileError(`${file}: no $ORIGIN: the zone's origin must be named (it decides which names the zone answers for)`);
  }
  return { origins, records };
}
