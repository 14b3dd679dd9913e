import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dkimCheck } from '../../src/checks/dkim.js';
import type { RunningZoneServer } from '../../src/dns/zone-server.js';
import { emlInputs } from '../../src/engine/inputs.js';
import { messageFacts } from '../../src/message/read.js';
import { observe, summary } from '../helpers/checks.js';
import { clientFor, serveZones } from '../helpers/dns.js';

const require = createRequire(import.meta.url);
const { dkimSign } = require('mailauth/lib/dkim/sign.js') as {
  dkimSign: (m: Buffer, o: { signatureData: object[]; strict?: boolean }) => Promise<{ signatures: string; errors: unknown[] }>;
};

// The fixture key pair: the private half signs here, the public half is served by the zone below.
const privateKey = readFileSync('fixtures/keys/nl2026._domainkey.newsletter.example.pem', 'utf8');
const zoneText = readFileSync('fixtures/zones/newsletter.example.zone', 'utf8');
const publicKey = /"p=([^"]+)"\s*\n\s*"([^"]+)"/.exec(zoneText)!.slice(1, 3).join('');
const split = (record: string) => record.match(/.{1,200}/g)!.map((s) => `"${s}"`).join(' ');

const zones = [
  `$ORIGIN signer.test.
@ TXT "v=spf1 -all"
plain._domainkey TXT ${split(`v=DKIM1; k=rsa; p=${publicKey}`)}
strict._domainkey TXT ${split(`v=DKIM1; k=rsa; t=s; p=${publicKey}`)}
`,
];

const message = Buffer.from('From: News <news@signer.test>\r\nTo: a@163.com\r\nSubject: hi\r\nDate: Mon, 02 Mar 2026 10:00:00 +0800\r\nMessage-ID: <m@signer.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello\r\n');

async function signed(options: { selector: string; algorithm?: string; identity?: string; rewrite?: (s: string) => string }): Promise<Buffer> {
  const { signatures } = await dkimSign(message, {
    signatureData: [{ signingDomain: 'signer.test', selector: options.selector, privateKey, algorithm: options.algorithm ?? 'rsa-sha256', canonicalization: 'relaxed/relaxed', ...(options.identity ? { identity: options.identity } : {}) }],
  });
  const header = options.rewrite ? options.rewrite(signatures) : signatures;
  return Buffer.concat([Buffer.from(header), message]);
}

let server: RunningZoneServer;
beforeAll(async () => {
  server = await serveZones(zones);
});
afterAll(() => server.close());

describe('dkim: held to RFC 6376 and RFC 8301 where a lenient verifier passes', () => {
  const cases: [string, Parameters<typeof signed>[0], object][] = [
    ['a good rsa-sha256 signature passes', { selector: 'plain' }, { result: 'pass', domain: 'signer.test' }],
    ['i= in d= itself passes under t=s', { selector: 'strict', identity: 'news@signer.test' }, { result: 'pass' }],
    ['t=s with an i= subdomain of d= fails (§3.6.1)', { selector: 'strict', identity: 'news@mail.signer.test' }, { result: 'fail', reason: expect.stringContaining('t=s') }],
    ['an i= subdomain without t=s passes', { selector: 'plain', identity: 'news@mail.signer.test' }, { result: 'pass' }],
    ['i= outside d= is a PERMFAIL (§6.1.1)', { selector: 'plain', identity: 'news@elsewhere.test' }, { result: 'permerror', reason: expect.stringContaining('outside d=signer.test') }],
    ['rsa-sha1 is failed with the reason (RFC 8301)', { selector: 'plain', algorithm: 'rsa-sha1' }, { result: 'fail', reason: expect.stringContaining('RFC 8301') }],
    ['an unknown algorithm is a signature, never "no signature"', { selector: 'plain', rewrite: (s) => s.replace('a=rsa-sha256', 'a=rsa-sha512') }, { result: 'permerror', algorithm: 'rsa-sha512', reason: expect.stringContaining('not a DKIM signing algorithm') }],
  ];
  it.each(cases)('%s', async (_name, options, expected) => {
    const facts = await messageFacts('signed.eml', await signed(options));
    const observed = summary(await observe(dkimCheck, emlInputs(facts, { ip: '192.0.2.1' }), clientFor(server)));
    expect(observed).toEqual([{ kind: 'signature', data: expect.objectContaining(expected) }]);
  });
});
