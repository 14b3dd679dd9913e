import type { Check, Observation } from '../engine/types.js';
import type { FormatFacts, MessageFacts } from '../message/facts.js';
import { needsMessage } from './needs-message.js';

/** RFC 5322 §2.1.1: a line is at most 998 octets plus CRLF. */
const MAX_LINE = 998;

interface Problem {
  level: 'warning' | 'info';
  problem: string;
  detail: string;
  evidence?: Record<string, unknown>;
}

function lineProblems(f: FormatFacts): Problem[] {
  const out: Problem[] = [];
  if (f.longestLine.length > MAX_LINE) {
    out.push({ level: 'warning', problem: 'long-line', detail: `line ${f.longestLine.line} is ${f.longestLine.length} octets; RFC 5322 §2.1.1 allows 998 — servers break or reject such lines`, evidence: { line: f.longestLine.line, octets: f.longestLine.length } });
  }
  if (f.bareCr > 0) out.push({ level: 'warning', problem: 'bare-cr', detail: `${f.bareCr} bare CR character(s); SMTP allows CR only before LF`, evidence: { bareCr: f.bareCr } });
  // A file saved with Unix line ends is converted by the sending MTA; a mix of both is not a file convention.
  if (f.crlf > 0 && f.bareLf > 0) out.push({ level: 'warning', problem: 'mixed-line-endings', detail: `${f.bareLf} bare LF line end(s) among ${f.crlf} CRLF ones: RFC 5321 §2.3.8 requires CRLF`, evidence: { crlf: f.crlf, bareLf: f.bareLf } });
  return out;
}

function headerProblems(m: MessageFacts): Problem[] {
  const out: Problem[] = [];
  const get = (key: string) => m.headers.filter((h) => h.key === key);
  const date = get('date');
  if (date.length === 0) out.push({ level: 'warning', problem: 'missing-date', detail: 'no Date header (RFC 5322 §3.6 requires one); spam filters score its absence' });
  else if (Number.isNaN(Date.parse(date[0]!.value.replace(/\s*\([^)]*\)\s*$/, '')))) {
    out.push({ level: 'warning', problem: 'invalid-date', detail: `Date "${date[0]!.value}" is not an RFC 5322 date`, evidence: { date: date[0]!.value } });
  }
  const messageId = get('message-id');
  if (messageId.length === 0) out.push({ level: 'warning', problem: 'missing-message-id', detail: 'no Message-ID header; filters score its absence (your server may add one)' });
  else if (!/^\s*<[^<>@\s]+@[^<>@\s]+>\s*$/.test(messageId[0]!.value)) {
    out.push({ level: 'warning', problem: 'invalid-message-id', detail: `Message-ID "${messageId[0]!.value}" is not <id@domain>`, evidence: { messageId: messageId[0]!.value } });
  }
  const isMime = get('content-type').length > 0 || get('content-transfer-encoding').length > 0;
  if (isMime && get('mime-version').length === 0) out.push({ level: 'warning', problem: 'missing-mime-version', detail: 'MIME content without a MIME-Version header (RFC 2045 §4)' });
  if (get('subject').length === 0) out.push({ level: 'info', problem: 'missing-subject', detail: 'no Subject header: mail without one looks like spam to many filters' });
  for (const header of m.headers) {
    if (/[^\x00-\x7f]/.test(header.line)) {
      out.push({ level: 'warning', problem: 'raw-8bit-header', detail: `the ${header.key} header has raw non-ASCII text; encode it (RFC 2047) — only SMTPUTF8 servers accept it raw`, evidence: { header: header.line.slice(0, 200) } });
      break;
    }
  }
  return out;
}

function bodyProblems(f: FormatFacts): Problem[] {
  const out: Problem[] = [];
  if (f.body8bit && !f.declares8bit) {
    out.push({ level: 'warning', problem: 'undeclared-8bit', detail: 'the body has 8-bit bytes but no part declares Content-Transfer-Encoding: 8bit; use base64 or quoted-printable' });
  }
  if (f.hasHtmlPart && !f.hasTextPart) {
    out.push({ level: 'warning', problem: 'html-only', detail: 'HTML body without a text/plain alternative: a classic spam signal (use multipart/alternative)' });
  }
  return out;
}

/** Structure a receiving filter checks before content: headers, line ends, encodings, alternatives. */
export const messageFormat: Check = {
  id: 'message-format',
  description: 'The message is well-formed: required headers, line lengths and ends, encodings, a text alternative',
  needsDns: false,
  skipReason: needsMessage,
  async run({ inputs }) {
    const m = inputs.message!;
    return [...headerProblems(m), ...lineProblems(m.format), ...bodyProblems(m.format)].map(
      (p): Observation => ({ check: 'message-format', kind: 'format', data: { level: p.level, problem: p.problem, detail: p.detail }, evidence: { file: m.file, problem: p.problem, ...p.evidence } }),
    );
  },
};
