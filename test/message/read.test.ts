import { describe, expect, it } from 'vitest';
import { messageFacts } from '../../src/message/read.js';

const CRLF = '\r\n';
const msg = (lines: string[], eol = CRLF) => Buffer.from(lines.join(eol));

describe('reading a draft as a stream', () => {
  it('counts line ends and finds the longest line across pieces', async () => {
    const facts = await messageFacts('t.eml', Buffer.concat([msg(['From: a@b.example', 'Subject: x', '', 'crlf line', '']), Buffer.from(`bare lf line\n${'y'.repeat(1200)}\nbare\rcr\r\n`)]));
    expect(facts.format).toMatchObject({ crlf: 5, bareLf: 2, bareCr: 1, longestLine: { length: 1200, line: 6 } });
  });

  it.each([
    ['plain', 'Subject: Your receipt', 'Your receipt'],
    ['UTF-8, base64', 'Subject: =?UTF-8?B?5Y+M5Y2B5LiA54m55oOg?=', '双十一特惠'],
    ['GBK, base64', 'Subject: =?GBK?B?xPq1xMqu0rvUwrbU1cu1pQ==?=', '您的十一月对账单'],
    ['folded, two encoded words', 'Subject: =?UTF-8?Q?Caf=C3=A9?=\r\n =?UTF-8?Q?_menu?=', 'Café menu'],
    ['absent', 'X-Other: 1', ''],
  ])('decodes the subject: %s', async (_case, field, subject) => {
    const facts = await messageFacts('t.eml', msg(['From: a@b.example', field, '', 'body']));
    expect(facts.subject).toBe(subject);
  });

  it('gives top-level headers their line numbers, folded or not', async () => {
    const facts = await messageFacts('t.eml', msg(['Received: from a', '  by b', 'From: a@b.example', 'To: c@163.com', '', 'body']));
    expect(Object.fromEntries(facts.headerLines)).toEqual({ received: 1, from: 3, to: 4 });
    expect(facts.headers.find((h) => h.key === 'received')?.value).toBe('from a by b');
  });

  it('recognises an unnamed zip by its first bytes, and lists what is inside while reading', async () => {
    const zip = Buffer.from(
      // a one-entry zip: "run.cmd", stored
      'UEsDBAoAAAAAAAAAIQAAAAAAAAAAAAAAAAAHAAAAcnVuLmNtZFBLAQIUAAoAAAAAAAAAIQAAAAAAAAAAAAAAAAAHAAAAAAAAAAAAAAAAAAAAAABydW4uY21kUEsFBgAAAAABAAEANQAAACUAAAAAAA==',
      'base64',
    );
    const raw = msg(['From: a@b.example', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="x"', '', '--x', 'Content-Type: text/plain', '', 'hi', '--x', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', '', zip.toString('base64'), '--x--', '']);
    const facts = await messageFacts('t.eml', raw);
    const unnamed = facts.attachments.find((a) => a.filename === null);
    expect(unnamed?.archive).toMatchObject({ complete: true, entries: [{ name: 'run.cmd' }] });
    expect(unnamed?.sniffed?.ext).toBe('zip');
    expect(unnamed?.line).toBe(10);
  });

  it('keeps only the first bytes of a large non-archive attachment, to sniff, and knows its size', async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64').replace(/.{76}/g, `$&${CRLF}`);
    const raw = msg(['From: a@b.example', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="x"', '', '--x', 'Content-Type: application/pdf; name="big.pdf"', 'Content-Transfer-Encoding: base64', '', payload, '--x--', '']);
    const [pdf] = (await messageFacts('t.eml', raw)).attachments;
    expect(pdf).toMatchObject({ filename: 'big.pdf', declaredType: 'application/pdf' });
    expect(pdf!.archive).toBeUndefined();
    expect(pdf!.notInspected).toBeUndefined();
    expect(pdf!.size).toBeGreaterThanOrEqual(3 * 1024 * 1024 - 3);
    expect(pdf!.size).toBeLessThanOrEqual(3 * 1024 * 1024 + 3);
  });

  it('finds link hosts in quoted-printable HTML, across soft line breaks', async () => {
    const raw = msg(['From: a@b.example', 'MIME-Version: 1.0', 'Content-Type: text/html', 'Content-Transfer-Encoding: quoted-printable', '', '<a href=3D"https://offers.exa=', 'mple-shop.test/x">go</a>', '']);
    const facts = await messageFacts('t.eml', raw);
    expect(facts.linkDomains).toEqual(['offers.example-shop.test']);
    expect(facts.format).toMatchObject({ hasHtmlPart: true, hasTextPart: false });
  });

  it('reads a file saved with Unix line ends', async () => {
    const facts = await messageFacts('t.eml', msg(['From: A <a@b.example>', 'To: c@163.com', '', 'body', ''], '\n'));
    expect(facts.from).toEqual([{ name: 'A', address: 'a@b.example' }]);
    expect(facts.format).toMatchObject({ crlf: 0, bareLf: 4 });
  });
});

