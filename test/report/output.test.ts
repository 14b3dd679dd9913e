/** Colour choice, the run summary, and `check` finding its config and writing its extra outputs. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useColor } from '../../src/report/style.js';
import { presend } from '../helpers/cli.js';
import { draft } from '../helpers/drafts.js';

const dir = mkdtempSync(join(tmpdir(), 'presend-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('colour', () => {
  it.each([
    ['a terminal', true, {}, 'auto', true],
    ['a pipe', false, {}, 'auto', false],
    ['NO_COLOR set', true, { NO_COLOR: '1' }, 'auto', false],
    ['NO_COLOR empty (no-color.org: only non-empty counts)', true, { NO_COLOR: '' }, 'auto', true],
    ['FORCE_COLOR in a CI log', false, { FORCE_COLOR: '1' }, 'auto', true],
    ['FORCE_COLOR=0', false, { FORCE_COLOR: '0' }, 'auto', false],
    ['FORCE_COLOR=0 on a terminal (Node: 0 turns colour off)', true, { FORCE_COLOR: '0' }, 'auto', false],
    ['FORCE_COLOR=false on a terminal', true, { FORCE_COLOR: 'false' }, 'auto', false],
    ['FORCE_COLOR empty (Node: forces colour)', false, { FORCE_COLOR: '' }, 'auto', true],
    ['FORCE_COLOR=3 over NO_COLOR', false, { FORCE_COLOR: '3', NO_COLOR: '1' }, 'auto', true],
    ['--color always', false, { NO_COLOR: '1' }, 'always', true],
    ['--color never', true, { FORCE_COLOR: '1' }, 'never', false],
    ['TERM=dumb', true, { TERM: 'dumb' }, 'auto', false],
  ] as const)('%s', (_n, isTTY, env, choice, expected) => expect(useColor({ isTTY }, env, choice)).toBe(expected));
});

describe('the run summary', () => {
  it('JSON has schemaVersion and a summary; text ends with one summary line for several targets', async () => {
    const clean = join(dir, 'clean.eml');
    writeFileSync(clean, draft({}, [], 'Hello,\r\nthe minutes are below.\r\n'));
    const json = JSON.parse((await presend(['eml', clean, 'fixtures/drafts/zip-with-cmd.eml', '--offline', '--format', 'json'])).stdout);
    expect(json).toMatchObject({ schemaVersion: 2, summary: { targets: 2, fail: 1, errors: 1, codes: ['552 Illegal Attachment'], exitStatus: 1 } });
    const text = (await presend(['eml', clean, 'fixtures/drafts/zip-with-cmd.eml', '--offline'])).stdout.trim().split('\n');
    expect(text.at(-1)).toMatch(/^Summary: 2 targets — 1 fail, 0 warn, 1 pass; 1 error, \d+ warning findings; predicted: 552 Illegal Attachment$/);
  });
});

describe('check', () => {
  it('finds presend.config.yaml in a parent folder of its repository and writes --also into a folder it makes', async () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'sub', 'deeper'), { recursive: true });
    mkdirSync(join(project, '.git'));
    writeFileSync(join(project, 'a.eml'), draft({}, [], 'Hello,\r\nthe minutes are below.\r\n'));
    writeFileSync(join(project, 'presend.config.yaml'), 'offline: true\ntargets:\n  drafts:\n    - { path: "*.eml" }\n');
    const r = await presend(['check', '--format', 'json', '--also', 'sarif=out/reports/p.sarif'], {}, undefined, join(project, 'sub', 'deeper'));
    expect(r.status).toBe(0);
    expect(existsSync(join(project, 'sub', 'deeper', 'out', 'reports', 'p.sarif'))).toBe(true);
    expect(JSON.parse(readFileSync(join(project, 'sub', 'deeper', 'out', 'reports', 'p.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('an --also that cannot be written names the option as typed', async () => {
    const r = await presend(['check', '--config', 'fixtures/config/presend.config.yaml', '--offline', '--also', 'sarif=/dev/null/x.sarif']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--also sarif=/dev/null/x.sarif');
  });
});

describe('each finding once in annotation outputs', () => {
  it('two drafts of one domain: GitHub annotations and SARIF results hold each domain finding once', async () => {
    const args = ['eml', 'fixtures/drafts/clean-plain.eml', 'fixtures/drafts/clean-plain.eml', '--ip', '203.0.113.5', '--offline', '--zone', 'fixtures/zones/newsletter.example.zone', '--zone', 'fixtures/zones/reverse.zone'];
    const github = (await presend([...args, '--format', 'github'])).stdout.trim().split('\n');
    const messages = github.map((l) => l.slice(l.lastIndexOf('::') + 2));
    expect(new Set(messages).size).toBe(messages.length);
    expect(messages.some((m) => m.startsWith('SPF fails'))).toBe(true);
    const sarif = JSON.parse((await presend([...args, '--format', 'sarif'])).stdout) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] };
    const keys = sarif.runs[0]!.results.map((r) => `${r.ruleId} ${r.message.text}`);
    expect(new Set(keys).size).toBe(keys.length);
    const { XMLParser } = await import('fast-xml-parser');
    const junit = new XMLParser({ ignoreAttributes: false }).parse((await presend([...args, '--format', 'junit'])).stdout) as { testsuites: { testsuite: { testcase: { '@_name': string; failure?: unknown; 'system-out'?: string }[] }[] } };
    const [first, second] = junit.testsuites.testsuite;
    expect(first!.testcase.find((c) => c['@_name'] === 'spf')?.failure).toBeDefined();
    expect(second!.testcase.find((c) => c['@_name'] === 'spf')?.failure).toBeUndefined();
    expect(second!.testcase.find((c) => c['@_name'] === 'spf')?.['system-out']).toContain('reported under fixtures/drafts/clean-plain.eml');
    // The JSON report keeps every report whole: each draft has the domain's findings.
    const json = JSON.parse((await presend([...args, '--format', 'json'])).stdout) as { reports: { findings: unknown[] }[] };
    expect(json.reports[0]!.findings.length).toBe(json.reports[1]!.findings.length);
  });
});

describe('the published JSON schema (schema/report.schema.json)', () => {
  it('holds a real report and refuses a report of another shape', async () => {
    const { Ajv } = await import('ajv');
    const validate = new Ajv({ strict: true }).compile(JSON.parse(readFileSync('schema/report.schema.json', 'utf8')) as object);
    const report = JSON.parse((await presend(['eml', 'fixtures/drafts/zip-with-cmd.eml', '--offline', '--format', 'json'])).stdout) as { reports: { findings: { severity: string }[] }[] };
    expect(validate(report)).toBe(true);
    report.reports[0]!.findings[0]!.severity = 'fatal';
    expect(validate(report)).toBe(false);
  });
});

describe('the compact text report', () => {
  const zones = ['--zone', 'fixtures/zones/shop.example.zone', '--zone', 'fixtures/zones/dnsbl.zone', '--zone', 'fixtures/zones/reverse.zone', '--zone', 'fixtures/zones/mailer.example.zone'];

  it('one line per finding by default; --verbose adds the rule\'s own fix and readable evidence', async () => {
    const compact = (await presend(['eml', 'fixtures/drafts/attachment-double-extension.eml', '--offline'])).stdout;
    const line = compact.split('\n').find((l) => l.startsWith('  ') && l.includes('attachment-double-extension'))!;
    expect(line).toMatch(/^ {2}! 554 DT:SPM {2}attachment-double-extension — Attachment invoice-2026-11\.pdf\.exe has a double extension/);
    expect(compact).not.toContain('Fix:');
    expect(compact).not.toContain('Evidence');
    const verbose = (await presend(['eml', 'fixtures/drafts/attachment-double-extension.eml', '--offline', '--verbose'])).stdout;
    const block = verbose.slice(verbose.indexOf('attachment-double-extension'));
    expect(block).toMatch(/Fix: Rename the file to its one real extension/);
    expect(block).not.toMatch(/remove links to blocklisted domains/);
    expect(verbose).not.toMatch(/[{}]"|\\r\\n/);
  });

  it('an offline run says in its verdict that the DNS checks did not run', async () => {
    const r = await presend(['eml', 'fixtures/drafts/clean-plain.eml', '--offline']);
    expect(r.stdout).toMatch(/^Verdict: PASS .*DNS checks not run \(--offline\)/m);
  });

  it('blocklists unusable for one reason are one finding naming them; a could-not-check shows no predicted code', async () => {
    const r = await presend(['domain', 'shop.example', '--ip', '192.0.2.99', '--offline', ...zones, '--dnsbl', 'zen.spamhaus.org', 'bl.spamcop.net', 'b.barracudacentral.org', 'dnsbl.nowhere.test', 'other.nowhere.test']);
    const unusable = r.stdout.split('\n').filter((l) => l.includes('dnsbl-unusable'));
    // The two lists no zone answers share one reason: one line names both.
    expect(unusable.filter((l) => l.includes('nowhere.test'))).toHaveLength(1);
    expect(unusable.some((l) => /dnsbl\.nowhere\.test, other\.nowhere\.test/.test(l))).toBe(true);
    for (const l of unusable) expect(l).toMatch(/\(could not check: 450 DT:RBL\)/);
    expect(r.stdout.split('NetEase would reply:')[1]).not.toContain('DT:RBL');
  });

  it('an error a config makes of a rule with no reply does not stand under "NetEase would reject"', async () => {
    const config = join(dir, 'strict.yaml');
    writeFileSync(config, 'offline: true\nrules:\n  envelope-same-organization: error\n');
    const r = await presend(['eml', 'fixtures/drafts/clean-plain.eml', '--config', config]);
    const sections = r.stdout.split('\n\n');
    const own = sections.find((s) => s.startsWith('Errors — set by your configuration'));
    expect(own).toContain('envelope-same-organization');
    expect(sections.find((s) => s.startsWith('Errors — NetEase would reject')) ?? '').not.toContain('envelope-same-organization');
  });
});
