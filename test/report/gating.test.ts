import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningZoneServer } from '../../src/dns/zone-server.js';
import { presend } from '../helpers/cli.js';
import { serveZoneSet } from '../helpers/dns.js';
import { fixtureZones } from '../helpers/fixtures.js';
import { zoneFromText } from '../../src/dns/zone.js';

let server: RunningZoneServer;
const dir = mkdtempSync(join(tmpdir(), 'presend-gate-'));
const draft = resolve('fixtures/drafts/attachment-bat.eml');

/** A config with one failing domain and one failing draft, asking the loopback server. */
function writeConfig(extra = '', name = 'presend.config.yaml'): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `provider: netease
resolvers: ["${server.address}"]
timeout: 2000
dnsbl: [bl.spamcop.net]
${extra}
targets:
  domains:
    - domain: shop.example
      ip: 203.0.113.5
      helo: mail.shop.example
  drafts:
    - path: ${JSON.stringify(draft)}
      ip: 198.51.100.25
      helo: mail.newsletter.example
      mailFrom: news@newsletter.example
      from: news@newsletter.example
`,
  );
  return file;
}

/** The line of the domain entry in the written config: where its findings must point. */
const domainLine = () => readFileSync(join(dir, 'presend.config.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('- domain: shop.example')) + 1;

beforeAll(async () => {
  server = await serveZoneSet(fixtureZones());
});
afterAll(() => server.close());

describe('gating a pipeline on a config with a failing domain and a failing draft', () => {
  it('SARIF validates against the SARIF 2.1.0 schema, one descriptor per rule, results located', async () => {
    const r = await presend(['check', '--config', writeConfig(), '--format', 'sarif']);
    expect(r.status).toBe(1);
    const sarif = JSON.parse(r.stdout);
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync('fixtures/schemas/sarif-2.1.0-rtm.5.json', 'utf8')));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.length).toBeGreaterThan(50);
    expect(run.tool.driver.rules.find((d: { id: string }) => d.id === 'attachment-forbidden')).toMatchObject({ properties: { code: '552 Illegal Attachment' }, help: { markdown: expect.stringContaining('README.md#') } });
    const attachment = run.results.find((x: { ruleId: string }) => x.ruleId === 'attachment-forbidden');
    expect(attachment.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: expect.stringContaining('attachment-bat.eml') }, region: { startLine: expect.any(Number) } });
    const spf = run.results.find((x: { ruleId: string }) => x.ruleId === 'spf-authorized');
    expect(spf.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: expect.stringContaining('presend.config.yaml') }, region: { startLine: domainLine() } });
  });

  it('JUnit parses back: a suite per target, a case per check, errors fail', async () => {
    const r = await presend(['check', '--config', writeConfig(), '--format', 'junit']);
    expect(r.status).toBe(1);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(r.stdout);
    const suites = xml.testsuites.testsuite;
    expect(suites).toHaveLength(2);
    const domainSuite = suites[0];
    expect(domainSuite['@_name']).toBe('presend domain shop.example');
    const spfCase = domainSuite.testcase.find((c: Record<string, unknown>) => c['@_name'] === 'spf');
    expect(spfCase.failure).toBeDefined();
    expect(Number(domainSuite['@_failures'])).toBeGreaterThan(0);
    expect(suites[1].testcase.find((c: Record<string, unknown>) => c['@_name'] === 'attachments').failure).toBeDefined();
    // One <failure> per case, totals on <testsuites> equal to the suites', class names without path punctuation, no JSON in bodies.
    const cases = suites.flatMap((suite: { testcase: Record<string, unknown>[] }) => suite.testcase);
    expect(cases.every((c: Record<string, unknown>) => !Array.isArray(c.failure))).toBe(true);
    const failures = suites.reduce((n: number, suite: Record<string, string>) => n + Number(suite['@_failures']), 0);
    expect(Number(xml.testsuites['@_failures'])).toBe(failures);
    expect(cases.filter((c: Record<string, unknown>) => c.failure !== undefined)).toHaveLength(failures);
    expect(Number(xml.testsuites['@_tests'])).toBe(cases.length);
    for (const c of cases) expect(String(c['@_classname'])).toMatch(/^presend\.(domain|eml)\.[A-Za-z0-9_]+$/);
    expect(String(spfCase.failure['#text'])).not.toMatch(/[{}]"/);
    expect(String(spfCase.failure['#text'])).toContain('Fix:');
  });

  it('GitHub annotations name the file (and line)', async () => {
    const r = await presend(['check', '--config', writeConfig(), '--format', 'github']);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^::error file=.*presend\\.config\\.yaml,line=${domainLine()},title=presend 550 MI%3ASPF`)));
    expect(lines.some((l) => /^::error file=.*attachment-bat\.eml,line=\d+,title=presend 552 Illegal Attachment/.test(l))).toBe(true);
  });

  it('--also writes more formats from the same run', async () => {
    const sarifFile = join(dir, 'also.sarif');
    const junitFile = join(dir, 'also.xml');
    const r = await presend(['check', '--config', writeConfig(), '--format', 'github', '--also', `sarif=${sarifFile}`, '--also', `junit=${junitFile}`]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error /m);
    expect(JSON.parse(readFileSync(sarifFile, 'utf8')).runs[0].results.length).toBe(r.stdout.trim().split('\n').length);
    expect(readFileSync(junitFile, 'utf8')).toContain('<testsuites');
    const bad = await presend(['check', '--config', writeConfig(), '--also', 'pdf=x.pdf']);
    expect(bad.status).toBe(2);
  });

  it('exits 0 once those rules are overridden to warning', async () => {
    const overrides = 'rules:\n  spf-authorized: warning\n  dmarc-aligned-reject: warning\n  ip-not-listed: warning\n  attachment-forbidden: warning\n';
    const r = await presend(['check', '--config', writeConfig(overrides, 'relaxed.yaml')]);
    expect(r.stdout).not.toMatch(/Errors — NetEase would reject/);
    expect(r.status).toBe(0);
    expect((await presend(['check', '--config', writeConfig(overrides, 'relaxed.yaml'), '--fail-on', 'warning'])).status).toBe(1);
  });

  it.each([
    ['every rule reading the content engine off: the engine is not run', 'rules:\n  content-signal: off\n  content-spam-likely: off\n', false],
    ['one of them off: it still runs for the other', 'rules:\n  content-signal: off\n', true],
  ])('%s', async (_n, overrides, runs) => {
    const r = await presend(['eml', '--offline', '--config', writeConfig(overrides, 'content-off.yaml'), '--format', 'json', resolve('fixtures/drafts/demo-campaign.eml')]);
    const report = JSON.parse(r.stdout).reports[0];
    expect(report.checks.some((c: { check: string }) => c.check === 'content-signals')).toBe(runs);
    expect(report.checks.some((c: { check: string }) => c.check === 'message-format')).toBe(true);
  });

  it('an ignore with its reason drops the finding and says why', async () => {
    const r = await presend(['check', '--config', writeConfig('ignore:\n  - rule: ip-not-listed\n    target: shop.example\n    reason: "delisting requested, ticket OPS-1234"\n', 'ignore.yaml'), '--format', 'json']);
    const report = JSON.parse(r.stdout).reports[0];
    expect(report.findings.map((f: { rule: string }) => f.rule)).not.toContain('ip-not-listed');
    expect(report.notes.join(' ')).toContain('ticket OPS-1234');
  });

  it.each([
    ['an unknown key', 'colour: red\n', /Unrecognized key: "colour"/],
    ['a bad value', 'lang: fr\n', /lang: Invalid option/],
    ['an ignore without a reason', 'ignore:\n  - rule: ip-not-listed\n', /ignore\.0\.reason|ignore\[0\]\.reason/],
    ['an override naming no rule', 'rules:\n  no-such-rule: off\n', /rules\.no-such-rule: no rule is called "no-such-rule"/],
    ['a bad severity', 'rules:\n  spf-authorized: fatal\n', /rules\.spf-authorized/],
    ['a bad limit', 'limits:\n  maxMessageSize: huge\n', /limits: --max-message-size "huge"/],
  ])('%s is exit 2 naming it', async (_n, extra, pattern) => {
    const r = await presend(['check', '--config', writeConfig(extra, `bad-${_n.replace(/\W+/g, '-')}.yaml`)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('finds presend.config.yaml in the working directory, and says so when there is none', async () => {
    writeConfig();
    const found = await presend(['check', '--format', 'json'], {}, undefined, dir);
    expect(found.status).toBe(1);
    expect(JSON.parse(found.stdout).reports).toHaveLength(2);
    const empty = mkdtempSync(join(tmpdir(), 'presend-empty-'));
    const none = await presend(['check'], {}, undefined, empty);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no presend.config.yaml');
    rmSync(empty, { recursive: true, force: true });
  });

  it('names the config it read on the first line of the text report, and in JSON', async () => {
    const file = writeConfig();
    const text = await presend(['check'], {}, undefined, dir);
    expect(text.stdout.split('\n')[0]).toBe(`presend check · config ${join(dir, 'presend.config.yaml')}`);
    const json = await presend(['check', '--config', file, '--format', 'json']);
    expect(JSON.parse(json.stdout).config).toBe(file);
  });

  it('a config planted in a folder above, outside any repository (a shared /tmp), is never read', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'presend-shared-'));
    writeFileSync(join(shared, 'presend.config.yaml'), 'failOn: never\ntargets:\n  domains:\n    - domain: shop.example\n');
    const work = join(shared, 'work');
    mkdirSync(work);
    const r = await presend(['check'], {}, undefined, work);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no presend.config.yaml');
    rmSync(shared, { recursive: true, force: true });
  });

  it('inside a repository, a config is found up to its root (the folder holding .git) and no further', async () => {
    const outer = mkdtempSync(join(tmpdir(), 'presend-outer-'));
    writeFileSync(join(outer, 'presend.config.yaml'), 'failOn: never\ntargets:\n  domains:\n    - domain: shop.example\n');
    const repo = join(outer, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, 'packages', 'mailer'), { recursive: true });
    const beyond = await presend(['check'], {}, undefined, join(repo, 'packages', 'mailer'));
    expect(beyond.status).toBe(2);
    writeFileSync(join(repo, 'presend.config.yaml'), `resolvers: ["${server.address}"]\ntimeout: 2000\ntargets:\n  domains:\n    - domain: shop.example\n      ip: 203.0.113.5\n`);
    const root = await presend(['check', '--format', 'json'], {}, undefined, join(repo, 'packages', 'mailer'));
    expect(JSON.parse(root.stdout).config).toBe(join(repo, 'presend.config.yaml'));
    rmSync(outer, { recursive: true, force: true });
  });
});

describe('--config on domain and eml', () => {
  it('takes the settings and overrides, with flags winning', async () => {
    const file = writeConfig('rules:\n  spf-authorized: warning\n', 'settings.yaml');
    const r = await presend(['domain', 'shop.example', '--ip', '203.0.113.5', '--config', file, '--format', 'json']);
    const findings = JSON.parse(r.stdout).reports[0].findings as { rule: string; severity: string }[];
    expect(findings.find((f) => f.rule === 'spf-authorized')?.severity).toBe('warning');
    // the config's resolver answered: SPF was evaluated, not "could not check"
    expect(findings.map((f) => f.rule)).not.toContain('spf-could-not-check');
    const lenient = writeConfig('failOn: never\nlang: zh\n', 'lenient.yaml');
    const never = await presend(['domain', 'shop.example', '--ip', '203.0.113.5', '--config', lenient]);
    expect(never.status).toBe(0);
    expect(never.stdout).toContain('网易将回复');
    expect((await presend(['domain', 'shop.example', '--ip', '203.0.113.5', '--config', lenient, '--fail-on', 'error'])).status).toBe(1);
    const offline = await presend(['domain', 'shop.example', '--config', file, '--offline', '--format', 'json']);
    expect(JSON.parse(offline.stdout).reports[0].notes.join(' ')).toContain('--offline');
  });

  it('the example config in fixtures/ plans its targets', async () => {
    const { loadConfig } = await import('../../src/config/load.js');
    const { planConfig } = await import('../../src/config/plan.js');
    const plan = await planConfig(loadConfig('fixtures/config/presend.config.yaml'));
    expect(plan.targets).toHaveLength(2);
    expect(plan.session.policy?.ignores[0]?.reason).toMatch(/DQS/);
    expect(plan.limits).toEqual({ maxMessageSize: '25MB' });
  });
});

describe('batch runs', () => {
  it('1,000 domains stream as NDJSON, one line each as it finishes, with no progress bar off a TTY', async () => {
    const zone = ['$ORIGIN bulk.test.', ...Array.from({ length: 1000 }, (_, i) => `d${i} TXT "v=spf1 ip4:192.0.2.${i % 250} -all"\nd${i} MX 10 mx.bulk.test.`), 'mx A 192.0.2.1', '_dmarc TXT "v=DMARC1; p=none"'].join('\n');
    const list = join(dir, 'domains.txt');
    writeFileSync(list, ['# domain[,ip[,helo]]', ...Array.from({ length: 1000 }, (_, i) => `d${i}.bulk.test${i % 3 === 0 ? ',192.0.2.7' : ''}`)].join('\n'));
    const bulk = await serveZoneSet([zoneFromText(zone, 'bulk.zone')]);
    const started = Date.now();
    const r = await presend(['domain', '--file', list, '--resolver', bulk.address, '--format', 'ndjson', '--concurrency', '32', '--dnsbl', 'bl.spamcop.net', '--fail-on', 'never']).finally(() => bulk.close());
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1000);
    const domains = new Set(lines.map((l) => JSON.parse(l).report.target.domain));
    expect(domains.size).toBe(1000);
    expect(Date.now() - started).toBeLessThan(60_000);
    // streamed: lines arrived over the run, not in one write at the end
    expect(r.chunkTimes.length).toBeGreaterThan(5);
    expect(r.chunkTimes[0]!).toBeLessThan(r.closedAt - 200);
  }, 90_000);

  it('reads the list from stdin with -, and names a bad line', async () => {
    const ok = await presend(['domain', '--file', '-', '--offline', '--format', 'json', '--fail-on', 'never'], {}, 'a.example\nb.example,192.0.2.1,mail.b.example\n');
    expect(JSON.parse(ok.stdout).reports.map((x: { target: { domain: string } }) => x.target.domain)).toEqual(['a.example', 'b.example']);
    const bad = await presend(['domain', '--file', '-', '--offline'], {}, 'a.example\nb.example,not-an-ip\n');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('stdin:2');
  });
});
