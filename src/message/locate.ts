import type { Finding } from '../engine/types.js';
import type { MessageFacts } from './facts.js';

/** The 1-based line of each header field's first occurrence in the top-level header section. */
export function headerLineNumbers(raw: Buffer): Map<string, number> {
  const lines = new Map<string, number>();
  let lineNo = 0;
  let start = 0;
  while (start < raw.length) {
    const lf = raw.indexOf(0x0a, start);
    const end = lf < 0 ? raw.length : lf;
    lineNo++;
    const line = raw.toString('latin1', start, end).replace(/\r$/, '');
    if (line === '') break;
    const m = /^([\x21-\x39\x3b-\x7e]+):/.exec(line);
    if (m && !lines.has(m[1]!.toLowerCase())) lines.set(m[1]!.toLowerCase(), lineNo);
    if (lf < 0) break;
    start = lf + 1;
  }
  return lines;
}

/** message-format problems that sit on one header field. */
const FORMAT_HEADERS: Record<string, string> = { 'invalid-message-id': 'message-id' };

/** Where in the draft a finding points, for SARIF regions and GitHub annotations. */
export function findingLine(finding: Finding, message: MessageFacts): number | undefined {
  const e = finding.evidence;
  const headers = message.headerLines;
  switch (finding.check) {
    case 'from-alignment':
      return finding.rule === 'from-header-valid' ? (headers.get('from') ?? 1) : (headers.get('return-path') ?? headers.get('from'));
    case 'recipients':
      return headers.get('to') ?? headers.get('cc') ?? headers.get('bcc');
    case 'unsubscribe':
      return headers.get('list-unsubscribe') ?? headers.get('precedence') ?? headers.get('list-id');
    case 'dkim':
      return headers.get('dkim-signature');
    case 'attachments': {
      // A part inside an archive or a forwarded message points at the top-level part that carries it.
      const path = String(e.path ?? '');
      const carrier = message.attachments.filter((a) => a.line !== undefined && (path === a.path || path.startsWith(`${a.path} › `)));
      return carrier.sort((a, b) => b.path.length - a.path.length)[0]?.line;
    }
    case 'message-format': {
      if (typeof e.line === 'number') return e.line;
      if (typeof e.header === 'string') return headers.get(e.header.split(':')[0]!.toLowerCase());
      const header = FORMAT_HEADERS[String(e.problem)];
      return header ? headers.get(header) : undefined;
    }
    case 'content-signals':
      return typeof e.headerField === 'string' ? headers.get(e.headerField) : undefined;
    default:
      return undefined;
  }
}
