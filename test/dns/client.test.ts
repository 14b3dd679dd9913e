import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsClient, parseServer } from '../../src/dns/client.js';
import { reverseName } from '../../src/dns/reverse.js';
import { questionsSent } from '../../src/dns/sending.js';
import { ZoneSet, zoneFromText } from '../../src/dns/zone.js';
import type { RunningZoneServer } from '../../src/dns/zone-server.js';
import { UsageError } from '../../src/errors.js';
import { clientFor, serveZones } from '../helpers/dns.js';

const text = `$ORIGIN c.test.
@      A    192.0.2.1
@      MX   10 mx.c.test.
@      TXT  "v=spf1 -all"
utf    TXT  "发送方 ok"
alias  CNAME @
long   TXT  "${'a'.repeat(300)}"
`;
let server: RunningZoneServer;
beforeAll(async () => {
  server = await serveZones([text], { silent: (n) => n === 'slow.c.test', servfail: (n) => n === 'broken.c.test' });
});
afterAll(() => server.close());

describe('DnsClient over the wire', () => {
  it.each([
    ['an answer', 'c.test', 'A', { status: 'answer', records: [{ type: 'A', value: '192.0.2.1' }] }],
    ['MX', 'c.test', 'MX', { status: 'answer', records: [{ type: 'MX', priority: 10, exchange: 'mx.c.test' }] }],
    ['NXDOMAIN', 'nope.c.test', 'A', { status: 'nxdomain' }],
    ['NODATA', 'c.test', 'AAAA', { status: 'nodata' }],
    ['SERVFAIL', 'broken.c.test', 'A', { status: 'servfail' }],
    ['a timeout', 'slow.c.test', 'A', { status: 'timeout' }],
    ['UTF-8 TXT (c-ares hands over latin1)', 'utf.c.test', 'TXT', { status: 'answer', records: [{ type: 'TXT', strings: ['发送方 ok'] }] }],
    ['a CNAME is followed', 'alias.c.test', 'A', { status: 'answer', records: [{ type: 'A', value: '192.0.2.1' }] }],
  ])('%s', async (_n, name, type, expected) => {
    expect(await clientFor(server, 300).query(name, type as 'A')).toMatchObject(expected);
  });

  it('rejoins a TXT string the server had to split', async () => {
    const outcome = await clientFor(server).query('long.c.test', 'TXT');
    expect(outcome.status === 'answer' && outcome.records[0]!.type === 'TXT' && outcome.records[0]!.strings.join('')).toBe('a'.repeat(300));
  });

  it('merges identical questions in flight and caches them', async () => {
    const dns = clientFor(server);
    const before = server.received;
    await Promise.all(Array.from({ length: 10 }, () => dns.query('c.test', 'TXT')));
    await dns.query('C.TEST.', 'TXT');
    expect(server.received - before).toBe(1);
    expect(dns.queriesSent).toBe(1);
    expect(dns.trace.filter((t) => t.source === 'cache')).toHaveLength(10);
  });

  it('stops at its query budget with "could not check"', async () => {
    const dns = clientFor(server, 500, 3);
    const outcomes = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((l) => dns.query(`${l}.c.test`, 'A')));
    expect(outcomes.filter((o) => o.status === 'budget')).toHaveLength(2);
    expect(dns.queriesSent).toBe(3);
  });

  it('honours --timeout: a silent server is "timeout" soon after it', async () => {
    const started = Date.now();
    expect((await clientFor(server, 250).query('slow.c.test', 'TXT')).status).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('answers from a zone before the network, and NXDOMAIN under its origin', async () => {
    const zones = new ZoneSet([zoneFromText('$ORIGIN c.test.\n@ A 192.0.2.77\n', 'what-if.zone')]);
    const dns = new DnsClient({ servers: [server.address], timeoutMs: 500, tries: 1, zones, offline: false, budget: 10 });
    expect(await dns.query('c.test', 'A')).toMatchObject({ records: [{ value: '192.0.2.77' }] });
    expect(await dns.query('utf.c.test', 'TXT')).toEqual({ status: 'nxdomain' });
    expect(dns.queriesSent).toBe(0);
  });

  it('sends nothing with --offline', async () => {
    const dns = new DnsClient({ servers: [server.address], timeoutMs: 500, tries: 1, zones: new ZoneSet([]), offline: true, budget: 10 });
    expect((await dns.query('c.test', 'A')).status).toBe('offline');
    expect(dns.queriesSent).toBe(0);
  });

  it('shapes answers for mailauth: NXDOMAIN and NODATA throw ENOTFOUND and ENODATA', async () => {
    const resolve = clientFor(server, 300).mailauthResolver();
    await expect(resolve('nope.c.test', 'A')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolve('c.test', 'AAAA')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolve('slow.c.test', 'A')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    await expect(resolve('broken.c.test', 'A')).rejects.toMatchObject({ code: 'ESERVFAIL' });
    expect(await resolve('c.test', 'TXT')).toEqual([['v=spf1 -all']]);
  });
});

describe('questionsSent: what may block the event loop waits for the questions to leave, not for their answers', () => {
  it.each([
    ['a server that answers late', { delayMs: 400 }],
    ['a server that never answers', { silent: () => true }],
  ])('%s', async (_n, options) => {
    const slow = await serveZones([text], options);
    try {
      const dns = clientFor(slow, 600);
      let answered = false;
      const pending = Promise.all([dns.query('c.test', 'TXT'), dns.query('c.test', 'MX')]).then(() => (answered = true));
      const started = performance.now();
      await questionsSent();
      expect(performance.now() - started).toBeLessThan(300);
      expect(answered).toBe(false);
      // Both datagrams reached the server while the answers are still to come.
      await expect.poll(() => slow.received, { timeout: 1000 }).toBe(2);
      expect(answered).toBe(false);
      await pending;
    } finally {
      await slow.close();
    }
  });

  it('resolves at once when nothing is on its way', async () => {
    await expect(questionsSent()).resolves.toBeUndefined();
  });
});

describe('close: a run that ended lets its questions go at once', () => {
  it('a question to a silent server ends as cancelled, not after its timeout', async () => {
    const silent = await serveZones([text], { silent: () => true });
    try {
      const dns = clientFor(silent, 4000);
      const started = performance.now();
      const pending = dns.query('c.test', 'TXT');
      await questionsSent();
      dns.close();
      expect(await pending).toMatchObject({ status: 'error', detail: expect.stringContaining('cancelled') });
      expect(performance.now() - started).toBeLessThan(1000);
      // A question asked after close is not sent at all.
      const before = silent.received;
      expect(await dns.query('c.test', 'MX')).toMatchObject({ status: 'error', detail: expect.stringContaining('cancelled') });
      expect(silent.received).toBe(before);
    } finally {
      await silent.close();
    }
  });
});

describe('parseServer and reverse names', () => {
  it.each([
    ['127.0.0.1', { host: '127.0.0.1', port: 53 }],
    ['127.0.0.1:5353', { host: '127.0.0.1', port: 5353 }],
    ['::1', { host: '::1', port: 53 }],
    ['[::1]:5353', { host: '::1', port: 5353 }],
  ])('%s', (spec, server) => expect(parseServer(spec)).toEqual(server));
  it.each(['dns.google', '127.0.0.1:99999', ''])('rejects %j', (spec) => expect(() => parseServer(spec)).toThrow(UsageError));
  it('reverses IPv4, IPv6 and IPv4-mapped addresses', () => {
    expect(reverseName('203.0.113.5')).toBe('5.113.0.203.in-addr.arpa');
    expect(reverseName('::ffff:203.0.113.5')).toBe('5.113.0.203.in-addr.arpa');
    expect(reverseName('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  });
});
