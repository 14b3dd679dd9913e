/**
 * The wire client's pure parts, table-driven: which replies are refused before parsing,
 * and which records of a reply answer the question (owner names, CNAME chains, loops).
 */
import dnsPacket, { type Answer, type Packet } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { answerOf, countsFit } from '../../src/dns/wire.js';

const reply = (answers: Answer[], rcode = 0): Packet => ({ type: 'response', id: 1, flags: rcode, questions: [{ name: 'a.test', type: 'TXT', class: 'IN' }], answers });
const txt = (name: string, text: string): Answer => ({ name, type: 'TXT', class: 'IN', ttl: 60, data: [Buffer.from(text)] });
const cname = (name: string, target: string): Answer => ({ name, type: 'CNAME', class: 'IN', ttl: 60, data: target });

describe('countsFit: section counts must fit the length, before any parsing', () => {
  const header = (qd: number, an: number, length = 12) => {
    const b = Buffer.alloc(length);
    b.writeUInt16BE(qd, 4);
    b.writeUInt16BE(an, 6);
    return b;
  };
  it.each([
    ['a real reply', dnsPacket.encode(reply([txt('a.test', 'v=spf1 -all')])), true],
    ['a 12-byte reply claiming 65,535 answers', header(0, 65535), false],
    ['a header alone claiming one question', header(1, 0), false],
    ['shorter than a header', Buffer.alloc(5), false],
  ])('%s', (_n, bytes, fits) => expect(countsFit(bytes)).toBe(fits));
});

describe('answerOf: only the question name and its CNAME chain count', () => {
  it.each([
    ['the name itself', [txt('a.test', 'v=spf1 -all')], { status: 'answer', records: [{ type: 'TXT', strings: ['v=spf1 -all'] }] }],
    ['case does not matter', [txt('A.TEST', 'x')], { status: 'answer' }],
    ['through a CNAME in the reply', [cname('a.test', 'b.test'), txt('b.test', 'y')], { status: 'answer', records: [{ type: 'TXT', strings: ['y'] }] }],
    ['a CNAME the server did not follow', [cname('a.test', 'b.test')], { status: 'cname', target: 'b.test' }],
    ['records of another name only', [txt('evil.test', 'v=spf1 +all')], { status: 'error' }],
    ['another name beside the right one is ignored', [txt('evil.test', 'v=spf1 +all'), txt('a.test', 'v=spf1 -all')], { status: 'answer', records: [{ type: 'TXT', strings: ['v=spf1 -all'] }] }],
    ['a CNAME loop', [cname('a.test', 'b.test'), cname('b.test', 'a.test')], { status: 'error', detail: expect.stringContaining('loop') }],
    ['no records', [], { status: 'nodata' }],
  ])('%s', (_n, answers, expected) => expect(answerOf(reply(answers), 'a.test', 'TXT')).toMatchObject(expected));

  it.each([
    [3, 'nxdomain'],
    [2, 'servfail'],
    [5, 'refused'],
    [4, 'error'],
  ])('RCODE %i is %s', (rcode, status) => expect(answerOf(reply([], rcode), 'a.test', 'TXT').status).toBe(status));
});
