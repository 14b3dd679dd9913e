// The real filters beside presend's own engine: rspamd over HTTP and SpamAssassin's spamd,
// started for real on loopback (skipped, and said so, where Debian's packages are absent),
// and hostile or silent stand-ins that must read as "could not check", never as clean.
import { createServer as createHttpServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckV2 } from '../../../src/engines/rspamd.js';
import { parseSpamdReply } from '../../../src/engines/spamd.js';
import { presend } from '../../helpers/cli.js';
import { hasBinary, startRspamd, startSpamd, type RunningEngine } from '../../helpers/engines.js';

interface JsonFinding {
  rule: string;
  severity: string;
  code: string | null;
  message: string;
  evidence: Record<string, unknown>;
}
const findingsOf = (stdout: string) => (JSON.parse(stdout) as { reports: { findings: JsonFinding[] }[] }).reports[0]!.findings;
const SPAM = 'fixtures/content/spam-today.eml';
const CLEAN = 'fixtures/content/newsletter-clean.eml';

describe('the engines’ replies, read', () => {
  it.each([
    ['rspamd rejecting', '{"score": 16.9, "required_score": 15, "action": "reject", "symbols": {"R_UNDISC_RCPT": {"name": "R_UNDISC_RCPT", "score": 3}}}', { spam: true, score: 16.9, action: 'reject', symbols: [{ name: 'R_UNDISC_RCPT', score: 3 }] }],
    ['rspamd adding a header', '{"score": 7, "required_score": 15, "action": "add header"}', { spam: true, action: 'add header' }],
    ['rspamd letting it through', '{"score": 1, "required_score": 15, "action": "no action"}', { spam: false, action: 'no action' }],
  ])('%s', (_name, body, expected) => expect(parseCheckV2(body)).toMatchObject(expected));
  it.each([
    ['not JSON', '<html>502</html>'],
    ['JSON without a verdict', '{"error": "bad request"}'],
    ['a skipped message', '{"score": 0, "action": "no action", "is_skipped": true}'],
  ])('rspamd: %s is an error, never a verdict', (_name, body) => expect(() => parseCheckV2(body)).toThrow());
  it('spamd: the Spam header and the rule names', () => {
    expect(parseSpamdReply('SPAMD/1.1 0 EX_OK\r\nContent-length: 30\r\nSpam: True ; 9.8 / 5.0\r\n\r\nRATWARE_MS_HASH,SUBJ_ALL_CAPS\r\n')).toEqual({ engine: 'spamassassin', spam: true, score: 9.8, required: 5, symbols: [{ name: 'RATWARE_MS_HASH' }, { name: 'SUBJ_ALL_CAPS' }] });
    expect(parseSpamdReply('SPAMD/1.1 0 EX_OK\r\nSpam: False ; -0.1 / 5.0\r\n\r\n')).toMatchObject({ spam: false, score: -0.1 });
  });
  it.each([
    ['an error status', 'SPAMD/1.0 76 Bad header line: x\r\n\r\n'],
    ['no Spam header', 'SPAMD/1.1 0 EX_OK\r\n\r\nA,B'],
    ['not spamd', 'HTTP/1.1 200 OK\r\n\r\n'],
  ])('spamd: %s is an error, never a verdict', (_name, reply) => expect(() => parseSpamdReply(reply)).toThrow());
});

describe.skipIf(!hasBinary('rspamd'))('rspamd (Debian package, on loopback, network checks off)', () => {
  let rspamd: RunningEngine;
  beforeAll(async () => void (rspamd = await startRspamd()), 90_000);
  afterAll(() => rspamd?.stop());

  it('judges the phishing-shaped draft spam: content-rspamd at error with its action, score and rules', async () => {
    const r = await presend(['eml', SPAM, '--offline', '--rspamd', rspamd.address, '--format', 'json']);
    const finding = findingsOf(r.stdout).find((f) => f.rule === 'content-rspamd')!;
    expect([finding.severity, finding.code]).toEqual(['error', '554 DT:SPM']);
    expect(finding.evidence).toMatchObject({ engine: 'rspamd', action: expect.stringMatching(/reject|add header|rewrite subject/) });
    expect((finding.evidence.symbols as { name: string }[]).map((s) => s.name)).toEqual(expect.arrayContaining(['R_UNDISC_RCPT', 'SUBJ_ALL_CAPS']));
  });

  it('lets the clean newsletter through, reported beside presend’s own verdict', async () => {
    const r = await presend(['eml', CLEAN, '--offline', '--rspamd', rspamd.address, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(findingsOf(r.stdout).filter((f) => f.rule.startsWith('content-rspamd')).map((f) => [f.rule, f.severity])).toEqual([['content-rspamd-passed', 'info']]);
  });
});

describe.skipIf(!hasBinary('spamd'))('SpamAssassin spamd (Debian package, on loopback, --local)', () => {
  let spamd: RunningEngine;
  beforeAll(async () => void (spamd = await startSpamd()), 90_000);
  afterAll(() => spamd?.stop());

  it('judges the phishing-shaped draft spam: content-spamassassin at error with its score and rules', async () => {
    const r = await presend(['eml', SPAM, '--offline', '--spamd', spamd.address, '--format', 'json']);
    const finding = findingsOf(r.stdout).find((f) => f.rule === 'content-spamassassin')!;
    expect([finding.severity, finding.code]).toEqual(['error', '554 DT:SPM']);
    expect((finding.evidence.symbols as { name: string }[]).map((s) => s.name)).toEqual(expect.arrayContaining(['RATWARE_MS_HASH', 'SUBJ_ALL_CAPS']));
  });

  it('lets the clean newsletter through', async () => {
    const r = await presend(['eml', CLEAN, '--offline', '--spamd', spamd.address, '--format', 'json']);
    expect(findingsOf(r.stdout).filter((f) => f.rule.startsWith('content-spamassassin')).map((f) => [f.rule, f.severity])).toEqual([['content-spamassassin-passed', 'info']]);
  });
});

describe('an engine that does not answer as one is "could not check", never clean', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));
  const listen = (server: Server) =>
    new Promise<number>((resolve) => {
      servers.push(server);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const couldNotCheck = async (flag: string, value: string, rule: string) => {
    const r = await presend(['eml', CLEAN, '--offline', flag, value, '--format', 'json']);
    const findings = findingsOf(r.stdout).filter((f) => f.rule.startsWith(rule));
    // Neither the spam verdict nor the clean one: only the fault, as a warning that says so.
    expect(findings.map((f) => f.rule)).toEqual([`${rule}-could-not-check`]);
    expect(findings[0]).toMatchObject({ severity: 'warning', code: null, message: expect.stringMatching(/^Could not ask .*Neither spam nor clean/) });
    return findings[0]!;
  };

  it('rspamd: nothing listening', async () => {
    const port = await listen(createServer((s) => s.destroy()));
    await couldNotCheck('--rspamd', `http://127.0.0.1:${port}`, 'content-rspamd');
  });
  it('rspamd: an HTTP server answering 500, and one answering past the reply bound', async () => {
    const error = await listen(createHttpServer((_req, res) => res.writeHead(500).end('no')) as unknown as Server);
    expect((await couldNotCheck('--rspamd', `http://127.0.0.1:${error}`, 'content-rspamd')).evidence.error).toMatch(/HTTP 500/);
    const flood = await listen(createHttpServer((_req, res) => res.writeHead(200).end(Buffer.alloc(2 * 1024 * 1024, 0x20))) as unknown as Server);
    expect((await couldNotCheck('--rspamd', `http://127.0.0.1:${flood}`, 'content-rspamd')).evidence.error).toMatch(/larger than/);
  });
  it('spamd: a server that answers an error status', async () => {
    const port = await listen(createServer((s) => s.once('data', () => s.end('SPAMD/1.0 76 Bad header line\r\n\r\n'))));
    expect((await couldNotCheck('--spamd', `127.0.0.1:${port}`, 'content-spamassassin')).evidence.error).toMatch(/76/);
  });
  it.each([
    ['--rspamd', 'http://rspamd.example.com:11333', /loopback addresses only/],
    ['--rspamd', 'ftp://127.0.0.1/', /only http: and https:/],
    ['--spamd', '10.0.0.5:783', /loopback addresses only/],
    ['--spamd', '127.0.0.1:99999', /not host\[:port\]/],
  ])('%s %s under --offline: one clear error line, exit 2', async (flag, value, message) => {
    const r = await presend(['eml', CLEAN, '--offline', flag, value]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('the engines set in presend.config.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'presend-engines-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = (name: string, yaml: string) => {
    const file = join(dir, name);
    writeFileSync(file, yaml);
    return file;
  };

  it('rspamd: and spamd: keys are asked as the flags are (nothing listening: could not check)', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const file = config('engines.yaml', `offline: true\nrspamd: http://127.0.0.1:${closed}\nspamd: 127.0.0.1:${closed}\n`);
    const r = await presend(['eml', CLEAN, '--config', file, '--format', 'json']);
    const rules = findingsOf(r.stdout).map((f) => f.rule).filter((rule) => /^content-(rspamd|spamassassin)/.test(rule));
    expect(rules.sort()).toEqual(['content-rspamd-could-not-check', 'content-spamassassin-could-not-check']);
  });

  it('a value that is not a URL: one line naming the file and the key, exit 2', async () => {
    const file = config('bad.yaml', 'rspamd: not a url\n');
    const r = await presend(['eml', CLEAN, '--config', file]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.yaml: rspamd "not a url": not a URL/);
  });

  it('--offline holds the config’s engine to loopback too', async () => {
    const file = config('remote.yaml', 'spamd: spam.example.net:783\n');
    const r = await presend(['eml', CLEAN, '--config', file, '--offline']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the config's spamd spam\.example\.net:783: --offline allows loopback addresses only/);
  });
});

