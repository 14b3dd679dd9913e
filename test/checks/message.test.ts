import { describe, expect, it } from 'vitest';
import { offlineClient } from '../helpers/dns.js';
import { attachmentsCheck, extensionOf } from '../../src/checks/attachments.js';
import { messageFormat } from '../../src/checks/message-format.js';
import { messageSize } from '../../src/checks/message-size.js';
import { recipientsCheck } from '../../src/checks/recipients.js';
import { unsubscribeCheck } from '../../src/checks/unsubscribe.js';
import { emlInputs, type EnvelopeOptions } from '../../src/engine/inputs.js';
import type { Check } from '../../src/engine/types.js';
import { messageFacts } from '../../src/message/read.js';
import { observe, summary } from '../helpers/checks.js';

const CRLF = '\r\n';
const offline = offlineClient();
const base = ['From: Shop <news@shop.example>', 'To: a@163.com', 'Subject: s', 'Date: Sat, 28 Nov 2026 10:00:00 +0800', 'Message-ID: <m1@shop.example>', 'MIME-Version: 1.0'];

async function run(check: Check, lines: string[], envelope: EnvelopeOptions = {}) {
  const message = await messageFacts('t.eml', Buffer.from(lines.join(CRLF)));
  return summary(await observe(check, emlInputs(message, envelope), offline));
}

const withAttachment = (disposition: string, type = 'application/octet-stream') => [
  ...base,
  'Content-Type: multipart/mixed; boundary="b"',
  '',
  '--b',
  'Content-Type: text/plain',
  '',
  'see attached',
  '--b',
  `Content-Type: ${type}`,
  ...(disposition ? [`Content-Disposition: ${disposition}`] : []),
  'Content-Transfer-Encoding: base64',
  '',
  'TVqQAAMAAAAEAAAA',
  '--b--',
  '',
];

describe('attachments', () => {
  const cases: [string, string, string, object][] = [
    ['a plain forbidden name', 'attachment; filename="run.bat"', 'application/octet-stream', { extension: '.bat', doubleExtension: false }],
    ['upper case', 'attachment; filename="RUN.BAT"', 'application/octet-stream', { extension: '.bat' }],
    ['a trailing dot (Windows drops it)', 'attachment; filename="run.bat."', 'application/octet-stream', { extension: '.bat' }],
    ['a trailing space', 'attachment; filename="run.cmd "', 'application/octet-stream', { extension: '.cmd' }],
    ['a double extension', 'attachment; filename="invoice.pdf.exe"', 'application/octet-stream', { extension: '.exe', innerExtension: '.pdf', doubleExtension: true }],
    ['a harmless double extension', 'attachment; filename="backup.tar.gz"', 'application/gzip', { extension: '.gz', doubleExtension: false, typeMismatch: false }],
    ['a type contradicting the name', 'attachment; filename="photo.jpg"', 'application/x-msdownload', { extension: '.jpg', typeMismatch: true }],
    ['an executable declared as an image', 'attachment; filename="photo.scr"', 'image/jpeg', { extension: '.scr', typeMismatch: true }],
    ['RFC 2231 with a language', "attachment; filename*=utf-8'zh-cn'%E6%8A%A5%E5%91%8A.js", 'application/octet-stream', { name: '报告.js', extension: '.js' }],
    ['RFC 2231 continuations', "attachment; filename*0*=UTF-8''%E5%B7%A5; filename*1*=%E8%B5%84.vbs", 'application/octet-stream', { name: '工资.vbs', extension: '.vbs' }],
    ['RFC 2047 UTF-8 in a quoted name', 'attachment; filename="=?UTF-8?B?5ZCI5ZCMLndzaA==?="', 'application/octet-stream', { name: '合同.wsh', extension: '.wsh' }],
  ];
  it.each(cases)('%s', async (_n, disposition, type, data) => {
    const observed = await run(attachmentsCheck, withAttachment(disposition, type));
    expect(observed.filter((o) => o.kind === 'attachment')).toEqual([{ kind: 'attachment', data: expect.objectContaining(data) }]);
  });

  // Every part above holds the first bytes of a Windows program (MZ): file-type says so whatever the name.
  const contents: [string, string, string, object][] = [
    ['a program named as a program', 'attachment; filename="run.bat"', 'application/octet-stream', { sniffedType: 'exe', executable: true, disguised: false }],
    ['a program named as a photo', 'attachment; filename="photo.jpg"', 'application/octet-stream', { sniffedType: 'exe', disguised: true }],
    ['a program declared as an image', 'attachment; filename="setup.exe"', 'image/jpeg', { sniffedType: 'exe', disguised: true }],
    ['a program with no name', '', 'application/octet-stream', { sniffedType: 'exe', name: '', disguised: true }],
  ];
  it.each(contents)('by content: %s', async (_n, disposition, type, data) => {
    const observed = await run(attachmentsCheck, withAttachment(disposition, type));
    expect(observed.filter((o) => o.kind === 'content')).toEqual([{ kind: 'content', data: expect.objectContaining(data) }]);
  });

  it('uses the Content-Type name when there is no disposition', async () => {
    const observed = await run(attachmentsCheck, withAttachment('', 'application/octet-stream; name="setup.vbe"'));
    expect(observed.filter((o) => o.kind === 'attachment')).toEqual([{ kind: 'attachment', data: expect.objectContaining({ extension: '.vbe' }) }]);
  });

  it.each([
    ['file.PDF', '.pdf'],
    ['archive.tar.gz', '.gz'],
    ['noext', ''],
    ['.bashrc', ''],
    ['trail. . .', ''],
  ])('extensionOf(%j) = %j', (name, ext) => expect(extensionOf(name)).toBe(ext));
});

describe('message-size, recipients', () => {
  it('measures the encoded size', async () => {
    const lines = [...base, '', 'x'.repeat(1000)];
    expect(await run(messageSize, lines)).toEqual([{ kind: 'size', data: expect.objectContaining({ bytes: Buffer.byteLength(lines.join(CRLF)) }) }]);
  });
  it('counts distinct recipients over To, Cc, Bcc and --rcpt, case-insensitively', async () => {
    const lines = [...base.filter((l) => !l.startsWith('To:')), 'To: a@163.com, B@163.com', 'Cc: b@163.com, c@126.com', 'Bcc: Group: d@yeah.net, e@yeah.net;', '', 'hi'];
    expect(await run(recipientsCheck, lines, { rcpt: ['A@163.com', 'f@163.com'] })).toEqual([{ kind: 'recipients', data: { count: 6 } }]);
  });
});

describe('message-format', () => {
  const problems = async (lines: string[]) => (await run(messageFormat, lines)).map((o) => o.data.problem);
  it.each([
    ['a well-formed message', [...base, 'Content-Type: text/plain', '', 'hello', ''], []],
    ['no Date', [...base.filter((l) => !l.startsWith('Date')), '', 'hello'], ['missing-date']],
    // An invalid Date and MIME without MIME-Version are content signals now (test/checks/content/).
    ['a bad Date', [...base.filter((l) => !l.startsWith('Date')), 'Date: yesterday', '', 'hello'], []],
    ['no Message-ID', [...base.filter((l) => !l.startsWith('Message-ID')), '', 'hello'], ['missing-message-id']],
    ['a bad Message-ID', [...base.filter((l) => !l.startsWith('Message-ID')), 'Message-ID: 12345', '', 'hello'], ['invalid-message-id']],
    ['plain text without MIME-Version (exempt, as SpamAssassin exempts it)', [...base.filter((l) => !l.startsWith('MIME')), 'Content-Type: text/plain; charset=us-ascii', '', 'hello'], []],
    ['plain text in base64 without MIME-Version', [...base.filter((l) => !l.startsWith('MIME')), 'Content-Type: text/plain', 'Content-Transfer-Encoding: base64', '', 'aGVsbG8='], []],
    ['HTML without MIME-Version', [...base.filter((l) => !l.startsWith('MIME')), 'Content-Type: text/html', '', '<p>hello</p>'], ['html-only']],
    ['no Subject', [...base.filter((l) => !l.startsWith('Subject')), '', 'hello'], ['missing-subject']],
    ['raw UTF-8 in a header', [...base.filter((l) => !l.startsWith('Subject')), 'Subject: 促销', '', 'hello'], ['raw-8bit-header']],
    ['undeclared 8-bit body', [...base, 'Content-Type: text/plain; charset=utf-8', '', '你好', ''], ['undeclared-8bit']],
    ['declared 8-bit body', [...base, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', '你好', ''], []],
    ['HTML only', [...base, 'Content-Type: text/html', '', '<p>hi</p>', ''], ['html-only']],
    ['HTML with a text alternative', [...base, 'Content-Type: multipart/alternative; boundary="a"', '', '--a', 'Content-Type: text/plain', '', 'hi', '--a', 'Content-Type: text/html', '', '<p>hi</p>', '--a--', ''], []],
    ['a line over 998 octets', [...base, '', 'x'.repeat(999), ''], ['long-line']],
    ['a Subject sent twice', [...base, 'Subject: s again', '', 'hello'], ['duplicate-header']],
    ['Received and other trace fields repeat freely', [...base, 'Received: from a', 'Received: from b', 'Comments: one', 'Comments: two', '', 'hello'], []],
  ] as [string, string[], string[]][])('%s', async (_n, lines, expected) => {
    expect(await problems(lines)).toEqual(expected);
  });
});

describe('message-format: duplicate headers name what repeats, for rules that care which (RFC 5322 §3.6.2 originator fields)', () => {
  it('lists each header sent more than once, and how often', async () => {
    const observed = await run(messageFormat, [...base, 'Reply-To: a@shop.example', 'Reply-To: b@shop.example', 'Subject: again', 'Subject: and again', '', 'hello']);
    const duplicate = observed.find((o) => o.data.problem === 'duplicate-header')!;
    expect(duplicate.data.headers).toEqual(['subject', 'reply-to']);
  });
});

describe('unsubscribe', () => {
  const bulk = [...base, 'Precedence: bulk'];
  it.each([
    ['not bulk', [...base, '', 'hi'], undefined],
    ['bulk without List-Unsubscribe', [...bulk, '', 'hi'], 'missing'],
    ['bulk with mailto only', [...bulk, 'List-Unsubscribe: <mailto:u@shop.example>', '', 'hi'], 'no-one-click'],
    ['bulk with https but no Post header', [...bulk, 'List-Unsubscribe: <https://shop.example/u/1>', '', 'hi'], 'no-one-click'],
    ['bulk with RFC 8058 one-click', [...bulk, 'List-Unsubscribe: <https://shop.example/u/1>', 'List-Unsubscribe-Post: List-Unsubscribe=One-Click', '', 'hi'], 'none'],
  ] as [string, string[], string | undefined][])('%s', async (_n, lines, problem) => {
    const observed = await run(unsubscribeCheck, lines);
    expect(observed[0]?.data.problem).toBe(problem);
  });
  it('--bulk marks a draft as bulk', async () => {
    expect((await run(unsubscribeCheck, [...base, '', 'hi'], { bulk: true }))[0]?.data).toMatchObject({ problem: 'missing', why: '--bulk' });
  });
});
