/**
 * A bounce as people paste it: a Java or Python exception, a postfix log line, a
 * nodemailer error object, a .NET message in Chinese, a DSN. Before any catalogue
 * lookup the paste is made plain — comment prefixes dropped, lines joined, Python
 * bytes literals decoded (their \xNN escapes are GBK or UTF-8 text) — and the status
 * number is read from wherever the wrapper put it. Written here: no package reads
 * SMTP replies out of other programs' error messages.
 */

/** Python prints bytes it cannot show as \xNN: NetEase's Chinese replies arrive that way (GBK, or UTF-8). */
function decodeByteEscapes(text: string): string {
  return text.replace(/(?:\\x[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = Buffer.from(run.split('\\x').slice(1).map((h) => parseInt(h, 16)));
    for (const encoding of ['utf-8', 'gbk']) {
      try {
        return new TextDecoder(encoding, { fatal: true }).decode(bytes);
      } catch {
        // not this encoding
      }
    }
    return run;
  });
}

/**
 * One line of text: Javadoc/comment prefixes (`*`, `//`, `#`, `>`) removed, escaped
 * CR/LF turned back into spaces, the lines of a multi-line exception joined.
 */
export function plainPaste(text: string): string {
  const lines = text
    .replace(/\\r\\n|\\n|\\r/g, '\n')
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:\*+|\/\/+|#+|>+)\s?/, '').trim())
    .filter(Boolean);
  return withoutContinuations(decodeByteEscapes(lines.join(' ')).replace(/\s+/g, ' ').trim());
}

/**
 * A multi-line reply joined into one line keeps each line's `550-5.7.26 ` marker in the
 * middle of its sentences ("a potential 552-5.7.0 security issue"): the first stays, as
 * the reply's status; the later ones, the same status repeated, are dropped.
 */
function withoutContinuations(line: string): string {
  const first = /(?:^|[^\d.])([245]\d\d)-((?:[245]\.\d{1,3}\.\d{1,3})?)/.exec(line);
  if (!first) return line;
  const enhanced = (first[2] ?? '').replace(/\./g, '\\.');
  const start = first.index + first[0].length;
  const marker = new RegExp(`\\s${first[1]}[- ]${enhanced}(?=\\s)`, 'g');
  return line.slice(0, start) + line.slice(start).replace(marker, '');
}

/**
 * .NET's SmtpException texts (en and zh-Hans) name the status only in words. Written as
 * strings, not regex literals: esbuild escapes non-ASCII in strings but not in regex
 * literals, and the bundled CLI's scripts must be ASCII (the loader reads them as latin1,
 * exact only for ASCII, and one non-ASCII character would make a whole script two-byte
 * text): scripts/bundle.js refuses such a build.
 */
const DOTNET_STATUS: [RegExp, string][] = (
  [
    ['Mailbox unavailable\\.\\s*The server response was', '邮箱不可用。?\\s*服务器响应为', '550'],
    ['Transaction failed\\.\\s*The server response was', '事务失败。?\\s*服务器响应为', '554'],
    ['Syntax error, command unrecognized', '语法错误，无法识别命令', '500'],
    ['Insufficient system storage', '系统存储不足', '452'],
    ['Exceeded storage allocation', '超出了存储分配', '552'],
    ['Mailbox name not allowed', '邮箱名称不允许使用', '553'],
    ['Service not available, closing transmission channel', '服务不可用，正在关闭传输通道', '421'],
  ] as const
).map(([english, chinese, status]) => [new RegExp(`${english}|${chinese}`, 'i'), status]);

export interface StatusRead {
  status: string | null;
  enhanced: string | null;
}

/** A status with its enhanced status (`550 5.7.1`, `550-5.7.1`), not the tail of a longer number. */
const STATUS_AND_ENHANCED = /(?:^|[^\d.])([245]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3})\b/g;
/** Three digits standing as a status: at the start or after a space, quote, bracket or colon, before a space or dash. */
const STANDING_STATUS = /(?:^|[\s'"(:])([245]\d\d)(?=[ -]|$)/;

export interface StatusFound {
  /** Where the status's digits start. */
  at: number;
  status: string;
  enhanced?: string;
}

/** Every status with its enhanced status in `text`, in order. */
export function statusesWithEnhanced(text: string): StatusFound[] {
  return [...text.matchAll(STATUS_AND_ENHANCED)].map((m) => ({ at: m.index + m[0].indexOf(m[1]!), status: m[1]!, enhanced: m[2]! }));
}

/** The first three digits in `text` standing as a status. */
export function standingStatus(text: string): StatusFound | null {
  const m = STANDING_STATUS.exec(text);
  return m ? { at: m.index + m[0].indexOf(m[1]!), status: m[1]! } : null;
}

/**
 * The status of the reply whose text starts at `at`: right before it (`554 DT:SPM`,
 * `554-5.7.1 DT:SPM`, Python's `(554, b'DT:SPM`), else where the wrapper keeps it
 * (nodemailer's `responseCode: 554`, Laravel's `got code "554"`, .NET's words), else the
 * status that opens the reply, words apart from the wording.
 */
export function statusBefore(text: string, at: number): StatusRead {
  const before = text.slice(Math.max(0, at - 24), at);
  const adjacent = /(?:^|[^\d.])([245]\d\d)(?:[ -]+([245]\.\d{1,3}\.\d{1,3}))?(?:[\s,:;'"(\-]|\bb['"])*$/.exec(before);
  if (adjacent) return { status: adjacent[1]!, enhanced: adjacent[2] ?? null };
  // A wording matched mid-sentence (Gmail's replies): the status and enhanced status that open its sentence.
  const opening = statusesWithEnhanced(text.slice(Math.max(0, at - 300), at)).pop();
  if (opening) return { status: opening.status, enhanced: opening.enhanced! };
  const enhanced = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1] ?? null;
  const wrapped =
    /\bresponseCode['"]?\s*[:=]\s*([245]\d\d)\b/.exec(text)?.[1] ??
    /got code "([245]\d\d)"/.exec(text)?.[1] ??
    /\(([245]\d\d),\s*b?['"]/.exec(text)?.[1] ??
    DOTNET_STATUS.find(([pattern]) => pattern.test(text))?.[1] ??
    // Words between the status and the wording (a number, a sentence, an address in angle
    // brackets before the catalogue's words): the status that opens the reply.
    standingStatus(text.slice(Math.max(0, at - 300), at))?.status ??
    null;
  return { status: wrapped, enhanced };
}
