/**
 * Fault injection, DNS side: a loopback server that misbehaves in one deterministic way
 * per case, and the whole CLI run against it as a user runs it. Every case asserts the
 * exit status, the verdict (a fault is "could not check", never a predicted bounce or a
 * listing), and a time bound derived from --timeout × tries — so nothing here can hang.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsFault, RunningZoneServer } from '../../src/dns/zone-server.js';
import { domainInputs } from '../../src/engine/inputs.js';
import { checkTarget, createSession } from '../../src/engine/session.js';
import { knownProviders, profilePathsFor } from '../../src/profile/providers.js';
import { presend } from '../helpers/cli.js';
import { serveZones } from '../helpers/dns.js';

const world = [
  `$ORIGIN victim.test.
@       TXT "v=spf1 ip4:203.0.113.0/24 -all"
@       MX  10 mx
mx      A   198.51.100.10
mail    A   203.0.113.5
_dmarc  TXT "v=DMARC1; p=reject"
plusall TXT "v=spf1 +all"
_dmarc.plusall TXT "v=DMARC1; p=reject"
esc     TXT "v=spf1 include:\\027]0;pwned\\007\\027[2J -all"
`,
  `$ORIGIN 113.0.203.in-addr.arpa.
5 PTR mail.victim.test.
`,
  `$ORIGIN bl.spamcop.net.
2.0.0.127   A 127.0.0.2
5.113.0.203 A 127.0.0.2
`,
];

/** Per case: which questions (name, type) get which fault. */
const faults: Record<string, (name: string, type: string) => DnsFault | undefined> = {
  'truncate-silent-tcp': (name, type) => (name === 'victim.test' && (type === 'TXT' || type === 'SPF') ? 'truncate-silent-tcp' : undefined),
  'parse-bomb': (name) => (name.endsWith('victim.test') || name.endsWith('in-addr.arpa') ? 'parse-bomb' : undefined),
  garbage: (name, type) => (name === 'victim.test' && type === 'TXT') || type === 'PTR' ? 'garbage' : undefined,
  servfail: (name, type) => (name === 'victim.test' && type === 'TXT' ? 'servfail' : undefined),
  silent: (name, type) => (name === 'victim.test' && type === 'TXT' ? 'silent' : undefined),
  'wrong-owner': (name, type) => (name === 'plusall.victim.test' && type === 'TXT') || name.endsWith('bl.spamcop.net') ? 'wrong-owner' : undefined,
  'cname-loop': (name, type) => (name === 'victim.test' && (type === 'MX' || type === 'A' || type === 'AAAA') ? 'cname-loop' : undefined),
};

const servers: Record<string, RunningZoneServer> = {};
beforeAll(async () => {
  for (const [mode, fault] of Object.entries(faults)) servers[mode] = await serveZones(world, { fault });
  servers.clean = await serveZones(world);
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

const TIMEOUT_MS = 300;
/** Start-up, plus the longest chain of dependent lookups (each at most timeout × 2 tries): generous, but finite. */
const BOUND_MS = 8_000;

interface JsonFinding {
  rule: string;
  severity: string;
  code: string | null;
}

async function domainRun(mode: string, domain = 'victim.test', extra: string[] = []) {
  const r = await presend(['domain', domain, '--ip', '203.0.113.5', '--helo', 'mail.victim.test', '--dnsbl', 'bl.spamcop.net', '--resolver', servers[mode]!.address, '--timeout', String(TIMEOUT_MS), '--format', 'json', ...extra]);
  const findings: JsonFinding[] = r.stdout ? (JSON.parse(r.stdout) as { reports: { findings: JsonFinding[] }[] }).reports[0]!.findings : [];
  return { ...r, findings, rules: findings.map((f) => f.rule), errors: findings.filter((f) => f.severity === 'error').map((f) => f.rule) };
}

describe('hostile DNS: every fault is "could not check", within the deadline', () => {
  it('the clean world answers (the baseline the faults are compared with)', async () => {
    const r = await domainRun('clean');
    expect(r.status).toBe(1);
    expect(r.errors).toEqual(['ip-not-listed']);
    expect(r.rules).not.toContain('spf-could-not-check');
  });

  it('TC on UDP, then a TCP server that accepts and never answers: no hang, SPF could not check', async () => {
    const r = await domainRun('truncate-silent-tcp');
    expect(r.closedAt).toBeLessThan(BOUND_MS);
    expect(r.rules).toContain('spf-could-not-check');
    expect(r.errors).not.toContain('spf-authorized');
    expect(r.errors).not.toContain('dmarc-aligned-reject');
  });

  it('12-byte replies claiming 65,535 records per section are dropped before parsing, quickly', async () => {
    const r = await domainRun('parse-bomb');
    // Each bomb is refused at once, so the run ends far inside even one timeout per question.
    expect(r.closedAt).toBeLessThan(3_000);
    expect(r.errors.filter((rule) => rule !== 'ip-not-listed')).toEqual([]);
    expect(r.rules).toEqual(expect.arrayContaining(['spf-could-not-check', 'ptr-could-not-check']));
    expect(r.rules).not.toContain('spf-record-missing');
  });

  it('random garbage is malformed, never "publishes no SPF record" or "has no PTR"', async () => {
    const r = await domainRun('garbage');
    expect(r.closedAt).toBeLessThan(BOUND_MS);
    expect(r.rules).toEqual(expect.arrayContaining(['spf-could-not-check', 'spf-record-could-not-check', 'ptr-could-not-check']));
    expect(r.rules).not.toContain('spf-record-missing');
    expect(r.rules).not.toContain('ptr-forward-confirmed');
  });

  it.each(['servfail', 'silent'])('%s on the SPF lookup alone under p=reject: DMARC could not check, no 550 MI:DMA', async (mode) => {
    const r = await domainRun(mode);
    expect(r.closedAt).toBeLessThan(BOUND_MS);
    expect(r.rules).toEqual(expect.arrayContaining(['spf-could-not-check', 'dmarc-could-not-check']));
    expect(r.errors).not.toContain('dmarc-aligned-reject');
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).not.toContain('550 MI:DMA');
  });

  it('records owned by another name are not believed: no +all, no listing', async () => {
    const r = await domainRun('wrong-owner', 'plusall.victim.test');
    expect(r.closedAt).toBeLessThan(BOUND_MS);
    expect(r.rules).not.toContain('spf-pass-all');
    expect(r.errors).not.toContain('ip-not-listed');
    expect(r.rules).toContain('spf-record-could-not-check');
  });

  it('a NOERROR answer holding only a CNAME loop is could not check, not "neither MX nor A"', async () => {
    const r = await domainRun('cname-loop');
    expect(r.closedAt).toBeLessThan(BOUND_MS);
    expect(r.rules).toContain('sender-domain-could-not-check');
    expect(r.errors).not.toContain('sender-domain-real');
  });

  it('an empty label is bad input: exit 2, one line', async () => {
    const r = await domainRun('clean', 'victim.test..');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('empty label');
  });
});

describe('hostile bytes in DNS answers never reach a terminal or break a format', () => {
  const run = (format: string) => presend(['domain', 'esc.victim.test', '--ip', '203.0.113.5', '--dnsbl', 'bl.spamcop.net', '--resolver', servers.clean!.address, '--timeout', String(TIMEOUT_MS), '--format', format]);

  it.each(['text', 'github'])('%s: no raw ESC or BEL, the bytes shown escaped', async (format) => {
    const r = await run(format);
    expect(r.stdout).not.toMatch(/[\x07\x1b]/);
    expect(r.stdout).toContain('\\x1b]0;pwned\\x07');
  });

  it('junit stays well-formed XML', async () => {
    const { XMLValidator } = await import('fast-xml-parser');
    const r = await run('junit');
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
  });

  it.each(['json', 'sarif'])('%s parses and keeps the bytes as JSON escapes', async (format) => {
    const r = await run(format);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stdout).toContain('\\u001b]0;pwned');
  });
});

describe('every provider reports a fault as could not check, never as a pass', () => {
  // Through the engine, to see each finding's check and could-not-check mark (the JSON contract carries neither).
  it.each([
    ['garbage', 'victim.test', ['spf', 'spf-record', 'ptr']],
    ['wrong-owner', 'plusall.victim.test', ['spf-record', 'dnsbl']],
  ])('%s: each of the five says so for %s', async (mode, domain, undecided) => {
    const session = createSession({ lang: 'en', servers: [servers[mode]!.address], timeoutMs: TIMEOUT_MS, zoneFiles: [], offline: false, dnsbl: ['bl.spamcop.net'], profilePaths: profilePathsFor('all') });
    const report = await checkTarget(session, domainInputs(domain, { ip: '203.0.113.5', helo: 'mail.victim.test' }));
    for (const provider of knownProviders()) {
      const said = new Set(report.findings.filter((f) => f.provider === provider && f.couldNotCheck).map((f) => f.check));
      expect([provider, ...undecided.filter((check) => said.has(check))]).toEqual([provider, ...undecided]);
      // What could not be checked is never predicted as a refusal by that check.
      expect(report.findings.filter((f) => f.provider === provider && undecided.includes(f.check) && f.severity === 'error')).toEqual([]);
    }
    for (const check of undecided) expect(report.checks.find((c) => c.check === check)?.status, check).not.toBe('pass');
  });
});

describe('a run that stops early does not wait for its questions to time out', () => {
  it('a broken profile found after a single domain\'s first questions left: exit 2 at once, one line', async () => {
    const silent = await serveZones(world, { silent: () => true });
    const dir = mkdtempSync(join(tmpdir(), 'presend-early-'));
    try {
      const broken = join(dir, 'broken.yaml');
      writeFileSync(broken, 'provider: broken\n');
      // With a 4-second timeout and two tries, waiting for the silent server would take 8 s.
      const r = await presend(['domain', 'victim.test', '--ip', '203.0.113.5', '--resolver', silent.address, '--timeout', '4000', '--provider', broken]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.closedAt).toBeLessThan(3_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await silent.close();
    }
  });
});
