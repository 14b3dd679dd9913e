import { describe, expect, it } from 'vitest';
import { offlineClient } from '../helpers/dns.js';
import { heloPresent } from '../../src/checks/helo-present.js';
import { nullSender } from '../../src/checks/null-sender.js';
import { senderSyntax } from '../../src/checks/sender-syntax.js';
import { fromAlignment } from '../../src/checks/from-alignment.js';
import { emlInputs } from '../../src/engine/inputs.js';
import type { Check, Inputs } from '../../src/engine/types.js';
import { messageFacts } from '../../src/message/read.js';
import { inputs, summary } from '../helpers/checks.js';
import { observe } from '../helpers/checks.js';

// These checks need no DNS: an offline client proves they never ask.
const offline = offlineClient;
const run = async (check: Check, input: Inputs) => summary(await observe(check, input, offline()));

describe('helo-present', () => {
  const cases: [string, string | undefined, object[]][] = [
    ['an empty HELO', '', [{ kind: 'helo', data: { empty: true } }]],
    ['only spaces', '  ', [{ kind: 'helo', data: { empty: true } }]],
    ['a name', 'mail.example.com', [{ kind: 'helo', data: { empty: false } }]],
    ['not given', undefined, []],
  ];
  it.each(cases)('%s', async (_n, helo, expected) => expect(await run(heloPresent, inputs({ helo }))).toEqual(expected));
});

describe('null-sender', () => {
  it.each([
    ['<> (null)', '', true],
    ['an address', 'a@example.com', false],
  ] as const)('%s', async (_n, mailFrom, isNull) => expect(await run(nullSender, inputs({ mailFrom }))).toEqual([{ kind: 'mail-from', data: { nullSender: isNull } }]));
});

describe('sender-syntax', () => {
  const cases: [string, string, boolean][] = [
    ['plain', 'news@example.com', true],
    ['plus and dots', 'first.last+tag@mail.example.co.uk', true],
    ['quoted local part', '"john doe"@example.com', true],
    ['address literal', 'postmaster@[192.0.2.1]', true],
    ['IDN domain', 'info@例子.中国', true],
    ['no @', 'news.example.com', false],
    ['empty local part', '@example.com', false],
    ['double dot', 'a..b@example.com', false],
    ['space', 'a b@example.com', false],
    ['single-label domain', 'root@localhost', false],
    ['label with underscore', 'a@bad_host.example.com', false],
    ['local part over 64 octets', `${'x'.repeat(65)}@example.com`, false],
    ['trailing hyphen label', 'a@mail-.example.com', false],
  ];
  it.each(cases)('%s: %s', async (_n, mailFrom, valid) => {
    const [o] = await run(senderSyntax, inputs({ mailFrom }));
    expect(o).toMatchObject({ kind: 'mail-from-syntax', data: { valid } });
    if (!valid) expect(String(o!.data.reason)).not.toBe('');
  });
  it('leaves the null sender to null-sender', () => expect(senderSyntax.skipReason(inputs({ mailFrom: '' }))).not.toBeNull());
});

describe('from-alignment (flags only)', () => {
  const cases: [string, string, string, string][] = [
    ['identical', 'news@shop.example', 'news@shop.example', 'same'],
    ['same organization, other host', 'bounce@mail.shop.example', 'news@shop.example', 'same-organization'],
    ['same organization under a two-level suffix', 'b@mail.shop.co.uk', 'n@shop.co.uk', 'same-organization'],
    ['different organizations', 'bounce@esp.example', 'news@shop.example', 'different-organization'],
    ['two customers of one private suffix are two organizations', 'a@alice.github.io', 'b@bob.github.io', 'different-organization'],
  ];
  it.each(cases)('%s', async (_n, mailFrom, from, relation) => {
    expect(await run(fromAlignment, inputs({ mailFrom, from }))).toEqual([{ kind: 'alignment', data: expect.objectContaining({ relation }) }]);
  });
});

describe('from-alignment: the From header itself, from real drafts', () => {
  const CRLF = '\r\n';
  const headers = ['To: a@163.com', 'Subject: s', 'Date: Sat, 28 Nov 2026 10:00:00 +0800', 'Message-ID: <m1@shop.example>'];
  it.each([
    ['no From', [], 'missing'],
    ['two From headers', ['From: <a@shop.example>', 'From: <b@shop.example>'], 'several-from-headers'],
    ['no address in From', ['From: Shop Example'], 'unparseable'],
    ['a From domain that is no host name', ['From: <news@shop_example.com>'], 'from-domain-invalid'],
    ['a single-label From domain', ['From: <root@localhost>'], 'from-domain-invalid'],
    ['two authors and no Sender', ['From: <a@shop.example>, <b@shop.example>'], 'multiple-without-sender'],
    ['an IDN From domain is a host name', ['From: <info@例子.中国>'], undefined],
    ['an address literal is allowed', ['From: <postmaster@[192.0.2.1]>'], undefined],
  ] as [string, string[], string | undefined][])('%s', async (_n, from, problem) => {
    const message = await messageFacts('t.eml', Buffer.from([...from, ...headers, '', 'hello', ''].join(CRLF)));
    const observed = await run(fromAlignment, emlInputs(message, { mailFrom: 'bounce@shop.example' }));
    expect(observed.find((o) => o.kind === 'from-header')?.data.problem).toBe(problem);
  });
});
