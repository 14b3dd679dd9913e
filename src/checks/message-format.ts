import type { Check, Observation } from '../engine/types.js';
import type { FormatFacts, MessageFacts } from '../message/facts.js';
import type { Prose } from '../prose.js';
import { needsMessage } from './needs-message.js';

/** RFC 5322 §2.1.1: a line is at most 998 octets plus CRLF. */
const MAX_LINE = 998;

interface Problem {
  level: 'warning' | 'info';
  problem: string;
  detail: Prose;
  /** Fields a profile rule may match beside the problem (the duplicated header names). */
  data?: Record<string, string[]>;
  evidence?: Record<string, unknown>;
}

/**
 * RFC 5322 §3.6's fields that may appear at most once. From is judged by the from-alignment
 * check (its own problem, several-from-headers), so it is not counted twice here.
 */
const AT_MOST_ONCE = ['date', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'message-id', 'in-reply-to', 'references', 'subject'];

function duplicateHeaders(m: MessageFacts): Problem | null {
  const counts = new Map<string, number>();
  for (const header of m.headers) if (AT_MOST_ONCE.includes(header.key)) counts.set(header.key, (counts.get(header.key) ?? 0) + 1);
  const repeated = [...counts].filter(([, count]) => count > 1);
  if (repeated.length === 0) return null;
  const list = repeated.map(([key, count]) => `${count} × ${key}`).join(', ');
  return {
    level: 'warning',
    problem: 'duplicate-header',
    detail: { en: `headers RFC 5322 §3.6 allows once appear several times (${list})`, zh: `RFC 5322 §3.6 只允许出现一次的信头出现了多次（${list}）` },
    data: { headers: repeated.map(([key]) => key) },
    evidence: { repeated: Object.fromEntries(repeated) },
  };
}

function lineProblems(f: FormatFacts): Problem[] {
  const out: Problem[] = [];
  if (f.longestLine.length > MAX_LINE) {
    out.push({ level: 'warning', problem: 'long-line', detail: {
        en: `line ${f.longestLine.line} is ${f.longestLine.length} octets; RFC 5322 §2.1.1 allows 998 — servers break or reject such lines`,
        zh: `第 ${f.longestLine.line} 行长 ${f.longestLine.length} 个八位字节；RFC 5322 §2.1.1 最多允许 998 个——服务器会截断或拒收这样的行`,
      }, evidence: { line: f.longestLine.line, octets: f.longestLine.length } });
  }
  if (f.bareCr > 0) out.push({ level: 'warning', problem: 'bare-cr', detail: { en: `${f.bareCr} bare CR character(s); SMTP allows CR only before LF`, zh: `${f.bareCr} 个孤立的 CR 字符；SMTP 只允许 CR 出现在 LF 之前` }, evidence: { bareCr: f.bareCr } });
  // A file saved with Unix line ends is converted by the sending MTA; a mix of both is not a file convention.
  if (f.crlf > 0 && f.bareLf > 0) out.push({ level: 'warning', problem: 'mixed-line-endings', detail: { en: `${f.bareLf} bare LF line end(s) among ${f.crlf} CRLF ones: RFC 5321 §2.3.8 requires CRLF`, zh: `${f.crlf} 个 CRLF 行尾中混有 ${f.bareLf} 个孤立 LF 行尾：RFC 5321 §2.3.8 要求 CRLF` }, evidence: { crlf: f.crlf, bareLf: f.bareLf } });
  return out;
}

function headerProblems(m: MessageFacts, smtputf8: boolean): Problem[] {
  const out: Problem[] = [];
  const get = (key: string) => m.headers.filter((h) => h.key === key);
  const duplicates = duplicateHeaders(m);
  if (duplicates) out.push(duplicates);
  // An invalid Date, and MIME without MIME-Version, are content signals (checks/content/): judged there, once.
  if (get('date').length === 0) out.push({ level: 'warning', problem: 'missing-date', detail: { en: 'no Date header (RFC 5322 §3.6 requires one); spam filters score its absence', zh: '没有 Date 信头（RFC 5322 §3.6 要求必须有）；反垃圾过滤器会因缺失而扣分' } });
  const messageId = get('message-id');
  if (messageId.length === 0) out.push({ level: 'warning', problem: 'missing-message-id', detail: { en: 'no Message-ID header; filters score its absence (your server may add one)', zh: '没有 Message-ID 信头；过滤器会因缺失而扣分（你的发信服务器可能会补上）' } });
  else if (!/^\s*<[^<>@\s]+@[^<>@\s]+>\s*$/.test(messageId[0]!.value)) {
    out.push({ level: 'warning', problem: 'invalid-message-id', detail: { en: `Message-ID "${messageId[0]!.value}" is not <id@domain>`, zh: `Message-ID "${messageId[0]!.value}" 不是 <id@domain> 形式` }, evidence: { messageId: messageId[0]!.value } });
  }
  if (get('subject').length === 0) out.push({ level: 'info', problem: 'missing-subject', detail: { en: 'no Subject header: mail without one looks like spam to many filters', zh: '没有 Subject 信头：许多过滤器把无主题邮件视为垃圾邮件' } });
  // Raw UTF-8 in headers is what SMTPUTF8 carries (RFC 6532): a problem only where it was not announced.
  for (const header of smtputf8 ? [] : m.headers) {
    if (/[^\x00-\x7f]/.test(header.line)) {
      out.push({ level: 'warning', problem: 'raw-8bit-header', detail: {
          en: `the ${header.key} header has raw non-ASCII text; encode it (RFC 2047) — only SMTPUTF8 servers accept it raw`,
          zh: `${header.key} 信头含有未编码的非 ASCII 文本；请按 RFC 2047 编码——只有支持 SMTPUTF8 的服务器接受原样文本`,
        }, evidence: { header: header.line.slice(0, 200) } });
      break;
    }
  }
  return out;
}

function bodyProblems(f: FormatFacts): Problem[] {
  const out: Problem[] = [];
  if (f.body8bit && !f.declares8bit) {
    out.push({ level: 'warning', problem: 'undeclared-8bit', detail: {
        en: 'the body has 8-bit bytes but no part declares Content-Transfer-Encoding: 8bit; use base64 or quoted-printable',
        zh: '正文含有 8 位字节，但没有任何部分声明 Content-Transfer-Encoding: 8bit；请使用 base64 或 quoted-printable',
      },
    });
  }
  // Advice, not a warning: on the SpamAssassin corpus an HTML body without a text part was as
  // common in hard ham (48 %) as in spam (42 %) — it does not tell spam apart (issue 24).
  if (f.hasHtmlPart && !f.hasTextPart) {
    out.push({ level: 'info', problem: 'html-only', detail: { en: 'HTML body without a text/plain alternative: some filters score it; a multipart/alternative with a text part reads everywhere', zh: 'HTML 正文没有 text/plain 备选：部分过滤器会扣分；带文本部分的 multipart/alternative 在任何客户端都能阅读' } });
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
    return [...headerProblems(m, inputs.smtputf8 === true), ...lineProblems(m.format), ...bodyProblems(m.format)].map(
      (p): Observation => ({ check: 'message-format', kind: 'format', data: { level: p.level, problem: p.problem, ...p.data }, prose: { detail: p.detail }, evidence: { file: m.file, problem: p.problem, ...p.evidence } }),
    );
  },
};
