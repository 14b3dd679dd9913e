/**
 * A session that shares DNS answers (the sink, a batch) runs a check with a memo key
 * once per key: messages from one sender reuse its SPF, blocklist and PTR observations,
 * while what a message changes (its From, its links, its signatures) is checked anew,
 * and nothing that rests on a failed lookup is kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningZoneServer } from '../../src/dns/zone-server.js';
import { emlInputs } from '../../src/engine/inputs.js';
import { checkTarget } from '../../src/engine/session.js';
import { createSharedSession } from '../../src/engine/shared-session.js';
import type { Report } from '../../src/engine/types.js';
import { messageFacts } from '../../src/message/read.js';
import { serveZones } from '../helpers/dns.js';

const zones = [
  `$ORIGIN sender.example.
$TTL 300
@       IN TXT "v=spf1 ip4:192.0.2.10 -all"
@       IN MX  10 mx
mx      IN A   192.0.2.10
_dmarc  IN TXT "v=DMARC1; p=reject; rua=mailto:d@sender.example"`,
  `$ORIGIN other.example.
$TTL 300
@       IN TXT "v=spf1 -all"
@       IN MX  10 mx
mx      IN A   192.0.2.20
_dmarc  IN TXT "v=DMARC1; p=reject; rua=mailto:d@other.example"`,
];

let server: RunningZoneServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function message(from: string, body = 'Hello.'): Buffer {
  return Buffer.from([`From: <${from}>`, 'To: <reader@163.com>', 'Subject: Report', 'Date: Sat, 28 Nov 2026 10:00:00 +0800', 'Message-ID: <m@sender.example>', '', body, ''].join('\r\n'));
}

async function check(session: ReturnType<typeof createSharedSession>, raw: Buffer, ip = '192.0.2.10'): Promise<Report> {
  const facts = await messageFacts('sink:test', raw);
  return checkTarget(session, emlInputs(facts, { ip, helo: 'mx.sender.example', mailFrom: 'news@sender.example', rcpt: ['reader@163.com'], offline: false }));
}

const rules = (r: Report) => r.findings.map((f) => `${f.rule} ${f.code ?? ''}`).sort();
const asked = (r: Report, name: string) => r.dns.trace.some((t) => t.name === name);

describe('observations shared by the targets of one session', () => {
  it('a second message from the same sender reuses SPF and gets the same findings', async () => {
    server = await serveZones(zones);
    const session = createSharedSession({ lang: 'en', servers: [server.address], zoneFiles: [], offline: false, dnsbl: [] }, { observations: true });
    const first = await check(session, message('news@sender.example'));
    const second = await check(session, message('news@sender.example', 'Another body.'));
    expect(asked(first, 'sender.example')).toBe(true);
    expect(asked(second, 'sender.example')).toBe(false);
    expect(rules(second)).toEqual(rules(first));
  });

  it('what changes with the message is judged anew: another From is another DMARC verdict', async () => {
    server = await serveZones(zones);
    const session = createSharedSession({ lang: 'en', servers: [server.address], zoneFiles: [], offline: false, dnsbl: [] }, { observations: true });
    const aligned = await check(session, message('news@sender.example'));
    const foreign = await check(session, message('boss@other.example'));
    expect(rules(aligned)).not.toContain('dmarc-aligned-reject 550 MI:DMA');
    expect(rules(foreign)).toContain('dmarc-aligned-reject 550 MI:DMA');
    // And another IP is another SPF verdict.
    const elsewhere = await check(session, message('news@sender.example'), '203.0.113.99');
    expect(rules(elsewhere)).toContain('spf-authorized 550 MI:SPF');
  });

  it('a run that saw a lookup fail is not kept: the next message asks again', async () => {
    let failing = true;
    server = await serveZones(zones, { fault: (name, type) => (failing && name === 'sender.example' && type === 'TXT' ? 'servfail' : undefined) });
    const session = createSharedSession({ lang: 'en', servers: [server.address], zoneFiles: [], offline: false, dnsbl: [], timeoutMs: 500, tries: 1 }, { observations: true });
    const during = await check(session, message('news@sender.example'));
    expect(rules(during)).toContain('spf-could-not-check 550 MI:SPF');
    failing = false;
    const after = await check(session, message('news@sender.example'));
    expect(asked(after, 'sender.example')).toBe(true);
    expect(rules(after)).not.toContain('spf-could-not-check 550 MI:SPF');
  });
});
