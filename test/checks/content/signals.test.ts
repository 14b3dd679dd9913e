// Each content signal, as ESLint tests a rule: drafts it must fire on and drafts it must leave
// alone. The drafts are generated here (today's spam — shorteners, homographs, hidden text —
// is not in the 2002–2005 corpus bench:content measures).
import { describe, expect, it } from 'vitest';
import { contentSignals } from '../../../src/checks/content/signals.js';
import { draftView } from '../../../src/checks/content/signal.js';
import { loadContentModel } from '../../../src/profile/content-model.js';
import { messageFacts } from '../../../src/message/read.js';

const model = loadContentModel();
const CRLF = '\r\n';
const headers = {
  from: 'From: Ann Lee <ann@shop.example>',
  to: 'To: bo@163.com',
  subject: 'Subject: Your order has shipped',
  date: 'Date: Sat, 28 Nov 2026 10:00:00 +0800',
  id: 'Message-ID: <m1.2026@shop.example>',
  mime: 'MIME-Version: 1.0',
};
type Key = keyof typeof headers;

/** A draft: the usual headers with some replaced or dropped, and a body. */
function draft(replace: Partial<Record<Key, string | null>>, extra: string[], body: string[]): string[] {
  const lines = (Object.keys(headers) as Key[]).flatMap((k) => (replace[k] === null ? [] : [replace[k] ?? headers[k]]));
  return [...lines, ...extra, '', ...body];
}
const plain = (body: string, replace: Partial<Record<Key, string | null>> = {}, extra: string[] = []) => draft(replace, ['Content-Type: text/plain; charset=utf-8', ...extra], [body]);
const html = (body: string, replace: Partial<Record<Key, string | null>> = {}, extra: string[] = []) => draft(replace, ['Content-Type: text/html; charset=utf-8', ...extra], [body]);
const alternative = (text: string, htmlBody: string) =>
  draft({}, ['Content-Type: multipart/alternative; boundary="a"'], ['--a', 'Content-Type: text/plain; charset=utf-8', '', text, '--a', 'Content-Type: text/html; charset=utf-8', '', htmlBody, '--a--']);

async function fired(lines: string[]): Promise<string[]> {
  const view = draftView(await messageFacts('t.eml', Buffer.from(lines.join(CRLF))), { shorteners: model.shorteners, freemail: model.freemail });
  return contentSignals.filter((s) => s.observe(view) !== null).map((s) => s.id);
}

const ordinary = alternative('Hello Bo,\n\nyour order 1234 has shipped: https://shop.example/orders/1234\n\nAnn', '<html><body><p>Hello Bo,</p><p>your order 1234 has shipped: <a href="https://shop.example/orders/1234">shop.example/orders/1234</a></p></body></html>');
const form = (n: number) => ['Please fill in:', 'Full Name:', 'Address:', 'Phone:', 'E-mail:', 'Date of Birth:', 'Bank Account:'].slice(0, n + 1).join('\n');

// [signal, drafts it fires on, drafts it leaves alone]
const table: [string, [string, string[]][], [string, string[]][]][] = [
  ['msgid-ratware-hash', [['a $-shaped Message-ID without MimeOLE', plain('hi there', { id: 'Message-ID: <000801c2415d$1fa9f0c0$0100a8c0@shop.example>' })]], [['the same written by Outlook (MimeOLE)', plain('hi there', { id: 'Message-ID: <000801c2415d$1fa9f0c0$0100a8c0@shop.example>' }, ['X-MimeOLE: Produced By Microsoft MimeOLE V6.00.2600.0000'])], ['an ordinary Message-ID', ordinary]]],
  ['msgid-outlook-time', [['an Outlook-style Message-ID whose time is not the Date', plain('hi there', { id: 'Message-ID: <000801c2415d$1fa9f0c0$0100a8c0@shop.example>' })]], [['an ordinary Message-ID', ordinary]]],
  ['date-invalid', [['a date in words', plain('hi', { date: 'Date: yesterday' })], ['an offset of +2500', plain('hi', { date: 'Date: Sat, 28 Nov 2026 10:00:00 +2500' })], ['no time zone', plain('hi', { date: 'Date: Sat, 28 Nov 2026 10:00:00' })]], [['RFC 5322', ordinary], ['with a comment', plain('hi', { date: 'Date: Sat, 28 Nov 2026 10:00:00 +0000 (UTC)' })], ['an obsolete zone name', plain('hi', { date: 'Date: Sat, 28 Nov 2026 10:00:00 GMT' })]]],
  ['msmail-priority-without-mimeole', [['X-MSMail-Priority alone', plain('hi', {}, ['X-MSMail-Priority: High'])]], [['beside X-MimeOLE', plain('hi', {}, ['X-MSMail-Priority: Normal', 'X-MimeOLE: Produced By Microsoft MimeOLE V6.00'])], ['none', ordinary]]],
  ['outlook-no-display-name', [['Outlook with a bare From', plain('hi', { from: 'From: ann@shop.example' }, ['X-Mailer: Microsoft Outlook 16.0'])]], [['Outlook with a name', plain('hi', {}, ['X-Mailer: Microsoft Outlook 16.0'])], ['a bare From from another program', plain('hi', { from: 'From: ann@shop.example' }, ['X-Mailer: Thunderbird'])]]],
  ['x-priority-high', [['X-Priority: 1', plain('hi', {}, ['X-Priority: 1 (Highest)'])]], [['X-Priority: 3', plain('hi', {}, ['X-Priority: 3'])]]],
  ['freemail-reply-to', [['replies to a free mailbox', plain('hi', {}, ['Reply-To: deals4you@gmail.com'])], ['a wildcard entry (yahoo.*)', plain('hi', {}, ['Reply-To: deals@yahoo.fr'])]], [['replies to the sender', plain('hi', {}, ['Reply-To: ann@shop.example'])], ['a free mailbox writing as itself', plain('hi', { from: 'From: Ann <ann@gmail.com>' }, ['Reply-To: ann@gmail.com'])]]],
  ['forged-outlook', [['Outlook sending HTML only', html('<html><p>hi</p></html>', {}, ['X-Mailer: Microsoft Outlook 16.0'])], ['an X-Mailer of "Outlook"', plain('hi', {}, ['X-Mailer: Outlook'])], ['Outlook Express with a foreign Message-ID', plain('hi', {}, ['X-Mailer: Microsoft Outlook Express 6.00.2600.0000'])]], [['Outlook with a text part', alternative('hi', '<html><p>hi</p></html>').map((l) => (l.startsWith('MIME-Version') ? `${l}\r\nX-Mailer: Microsoft Outlook 16.0` : l))], ['Outlook Express through Hotmail', plain('hi', { id: 'Message-ID: <OE17BcN7DaJHFzrK0pW0001e900@hotmail.com>' }, ['X-Mailer: Microsoft Outlook Express 6.00.2600.0000'])]]],
  ['subject-all-caps', [['capitals', plain('hi', { subject: 'Subject: ACT NOW AND SAVE BIG' })]], [['one word', plain('hi', { subject: 'Subject: INVOICE' })], ['mixed case', ordinary], ['Chinese', plain('hi', { subject: 'Subject: =?UTF-8?B?5L2g5aW977yM5q2j5byP5oql5Lu3?=' })]]],
  ['subject-padding', [['a token after a run of spaces', plain('hi', { subject: 'Subject: Lose weight now                      11.150' })]], [['an ordinary subject', ordinary]]],
  ['to-undisclosed', [['undisclosed recipients', plain('hi', { to: 'To: undisclosed-recipients:;' })]], [['a recipient', ordinary]]],
  ['from-local-digits', [['a generated address', plain('hi', { from: 'From: Deals <offer20391x@shop.example>' })]], [['a name', ordinary], ['a year alone', plain('hi', { from: 'From: ann2026@shop.example' })]]],
  ['mixed-single-text', [['multipart/mixed holding one text part', draft({}, ['Content-Type: multipart/mixed; boundary="m"'], ['--m', 'Content-Type: text/plain', '', 'hi', '--m--'])]], [['with an attachment', draft({}, ['Content-Type: multipart/mixed; boundary="m"'], ['--m', 'Content-Type: text/plain', '', 'hi', '--m', 'Content-Type: application/pdf; name="a.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0=', '--m--'])]]],
  ['base64-text', [['ASCII text in base64', plain('aGVsbG8gdGhlcmUsIGJ1eSBub3c=', {}, ['Content-Transfer-Encoding: base64'])]], [['Chinese text in base64', plain(Buffer.from('你好，订单已发货').toString('base64'), {}, ['Content-Transfer-Encoding: base64'])]]],
  ['ctype-without-mime-version', [['HTML without MIME-Version', html('<html>hi</html>', { mime: null })], ['plain text in base64 without it', plain('aGk=', { mime: null }, ['Content-Transfer-Encoding: base64'])]], [['plain text without it (exempt, as SpamAssassin exempts it)', plain('hi', { mime: null })], ['with MIME-Version', ordinary]]],
  ['link-obfuscated', [['credentials before the host', plain('log in: http://www.bank.example@203.0.113.9/login')], ['a host in %-escapes', plain('see http://%77%77%77.shop.example/')], ['an IP as one number', plain('see http://3405803777/x')]], [['an ordinary link', ordinary], ['an @ in the path', plain('see https://shop.example/u/@ann')]]],
  ['link-to-ip', [['a public IPv4', plain('see http://203.0.113.9/offer')], ['an IPv6 literal', plain('see http://[2001:db8::1]/offer')]], [['a private address (a router)', plain('see http://192.168.1.1/')], ['a domain', ordinary]]],
  ['link-shortener', [['bit.ly', plain('see https://bit.ly/3xYz')], ['in HTML', alternative('see the offer', '<html><a href="https://tinyurl.com/abc">the offer</a></html>')]], [['the sender\'s own link', ordinary]]],
  ['link-text-mismatch', [['shows one domain, goes to another', alternative('pay', '<html><a href="https://evil.example/pay">https://www.paypal.com/pay</a></html>')]], [['shows its own domain', ordinary], ['a subdomain of the same organisation', alternative('x', '<html><a href="https://click.shop.example/r">www.shop.example</a></html>')], ['a file name, not a domain', alternative('x', '<html><a href="https://shop.example/f">report.pdf</a></html>')]]],
  ['link-script-scheme', [['javascript:', alternative('x', '<html><a href="javascript:alert(1)">open</a></html>')], ['data:', alternative('x', '<html><a href="data:text/html;base64,PGgxPg==">open</a></html>')]], [['https', ordinary], ['mailto', alternative('x', '<html><a href="mailto:ann@shop.example">write</a></html>')]]],
  ['link-homograph', [['Cyrillic а in a Latin name', plain('see https://xn--pypal-4ve.com/login')], ['a name all in look-alike Cyrillic', plain('see https://xn--80ak6aa92e.com/')]], [['a Chinese domain', plain('see https://xn--fiqs8s.example/')], ['Latin with Han (UTS #39 allows it)', plain('see https://xn--abc-nk5ek83b.example/')], ['ASCII', ordinary]]],
  ['html-no-html-tag', [['an HTML fragment alone', html('<p>buy now</p>')]], [['a page with <html>', html('<html><body><p>hi</p></body></html>')], ['a fragment beside a text part', alternative('hi', '<p>hi</p>')]]],
  ['html-click-here', [['"click here"', alternative('x', '<html><a href="https://shop.example/x">Click here</a></html>')]], [['a link that says where it goes', ordinary]]],
  ['html-font-huge', [['<font size=7>', alternative('x', '<html><font size="7">SALE</font></html>')], ['font-size: 48px', alternative('x', '<html><p style="font-size: 48px">SALE</p></html>')]], [['font-size: 18px', alternative('x', '<html><p style="font-size:18px">Hello</p></html>')]]],
  ['html-hidden-text', [['display:none word salad', alternative('x', `<html><p>Buy</p><div style="display:none">${'lorem ipsum dolor '.repeat(20)}</div></html>`)], ['white on white', alternative('x', `<html><body bgcolor="#ffffff"><font color="#fefefe">${'salad words here '.repeat(20)}</font><p>Buy</p></body></html>`)], ['a zero font', alternative('x', `<html><span style="font-size:0">${'hidden words '.repeat(30)}</span><p>Buy</p></html>`)]], [['a hidden preheader', alternative('x', `<html><div style="display:none">Your order has shipped - track it today</div><p>${'Real text about the order. '.repeat(10)}</p></html>`)], ['ordinary', ordinary]]],
  ['html-image-only', [['one picture and a word', alternative('x', '<html><img src="https://shop.example/sale.png"><p>Buy</p></html>')]], [['pictures with text', alternative('x', `<html><img src="https://shop.example/a.png"><p>${'Words about the order that explain it. '.repeat(15)}</p></html>`)]]],
  ['html-over-clip-size', [['HTML over 102 KB', alternative('x', `<html><p>${'a'.repeat(110 * 1024)}</p></html>`)]], [['ordinary', ordinary]]],
  ['html-script', [['<script>', alternative('x', '<html><script>alert(1)</script><p>hi</p></html>')], ['<iframe>', alternative('x', '<html><iframe src="https://x.example/"></iframe></html>')]], [['ordinary', ordinary]]],
  ['html-form', [['<form>', alternative('x', '<html><form action="https://x.example/p"><input name="pw"></form></html>')]], [['ordinary', ordinary]]],
  ['fill-in-form', [['five personal fields to fill in', plain(form(5))]], [['an address block of three', plain(form(2))]]],
  ['unsolicited-claim', [['"this is not spam"', plain('Note: this message is not spam. You opted in.')], ['"you are receiving this because"', plain('Hi,\nYou are receiving this special offer because you visited our site.')], ['"to be removed, please" in HTML', html('<html><p>To be removed, please <a href="https://x.example/r">click</a></p></html>')]], [['an ordinary unsubscribe line', plain('Hello Bo,\n\nyour order has shipped.\n\nUnsubscribe: https://shop.example/u')], ['a reply discussing spam', plain('I think this message is spam filtered by mistake.')]]],
  ['generic-greeting', [['Dear Friend', plain('Dear Friend,\nI write to you today')], ['Dear Sir/Madam', plain('Dear Sir / Madam\nWe offer')]], [['a name', plain('Dear Bo,\nyour order has shipped')], ['friend inside a sentence', plain('My dear friends at the club say hi')]]],
  ['body-uppercase', [['a shouting body', plain('ACT NOW! THIS OFFER WILL NOT LAST. '.repeat(10))]], [['ordinary text', plain('Your order has shipped and will arrive on Monday. '.repeat(10))], ['a short line in capitals', plain('THANK YOU')]]],
];

describe('content signals: each fires where it should and nowhere else', () => {
  it('every signal is in the table, and has a weight in rules/content.yaml (and no weight is left without its signal)', () => {
    expect(table.map(([id]) => id).sort()).toEqual(contentSignals.map((s) => s.id).sort());
    expect([...model.signals.keys()].sort()).toEqual(contentSignals.map((s) => s.id).sort());
  });
  for (const [id, fires, quiet] of table) {
    describe(id, () => {
      it.each(fires)('fires: %s', async (_name, lines) => expect(await fired(lines)).toContain(id));
      it.each(quiet)('stays quiet: %s', async (_name, lines) => expect(await fired(lines)).not.toContain(id));
    });
  }
  it('an ordinary transactional mail fires no signal at all', async () => expect(await fired(ordinary)).toEqual([]));
});
