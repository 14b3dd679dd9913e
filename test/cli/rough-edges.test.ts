/**
 * The rough edges a new user hit (issue 26): each as they typed it, and what they now get.
 */
import { describe, expect, it } from 'vitest';
import { presend } from '../helpers/cli.js';

describe('what a new user typed', () => {
  it('--zone takes a folder of *.zone files', async () => {
    const r = await presend(['domain', 'shop.example', '--ip', '203.0.113.5', '--offline', '--zone', 'fixtures/zones', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).reports[0].findings.map((f: { rule: string }) => f.rule)).toContain('spf-authorized');
  });

  it('--zone takes several files after one flag (a shell glob), and hands back the draft it swallowed', async () => {
    const r = await presend(['eml', '--offline', '--zone', 'fixtures/zones/shop.example.zone', 'fixtures/zones/reports.example.zone', 'fixtures/drafts/zip-with-cmd.eml', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).reports[0].target.file).toBe('fixtures/drafts/zip-with-cmd.eml');
  });

  it('a folder with no zone in it is one clear line', async () => {
    const r = await presend(['domain', 'shop.example', '--offline', '--zone', 'fixtures/drafts']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('presend: --zone fixtures/drafts: a folder with no *.zone file in it\n');
  });

  it('a domain that is not one is named once', async () => {
    const r = await presend(['domain', 'not a domain']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('presend: domain "not a domain": not a valid domain label\n');
  });

  it("a typo of a token is not claimed as the provider's by its marks", async () => {
    const r = await presend(['explain', 'MI:SFP']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("Provider: NetEase (the reply has NetEase's form, but no code in its catalogue reads so)");
    expect(r.stdout).not.toContain("from the reply's own marks");
  });
});

describe('help and errors', () => {
  it("commander's own errors start with presend: too, one prefix for every error line", async () => {
    const r = await presend(['domain', '--nope']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("presend: unknown option '--nope'");
  });

  it.each(['domain', 'eml', 'check', 'explain', 'codes', 'sink', 'smtp'])('%s --help ends with examples, and shows numbers unquoted', async (command) => {
    const r = await presend([command, '--help']);
    expect(r.stdout).toMatch(/\nExamples:\n {2}\$ presend /);
    expect(r.stdout).not.toMatch(/\(default: "\d+"\)/);
  });

  it('sink --provider says one provider, without offering a list', async () => {
    const r = await presend(['sink', '--help']);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('the one provider the sink answers as: netease (default), gmail, outlook, yahoo, qq, or a profile YAML');
  });
});

describe('SARIF that code scanning keeps', () => {
  type Sarif = { runs: { results: { locations: { physicalLocation?: { artifactLocation: { uri: string; description?: { text: string } }; region?: { startLine: number } } }[] }[] }[] };
  const physical = (stdout: string) => (JSON.parse(stdout) as Sarif).runs[0]!.results.map((r) => r.locations[0]!.physicalLocation);

  it('a domain from a list points at its line there; every result has a physical location and a region', async () => {
    const list = `${process.env.TMPDIR}/domains.txt`;
    (await import('node:fs')).writeFileSync(list, '# senders\nshop.example,203.0.113.5\n');
    const r = await presend(['domain', '--file', list, '--offline', '--zone', 'fixtures/zones', '--format', 'sarif']);
    const locations = physical(r.stdout);
    expect(locations.length).toBeGreaterThan(0);
    for (const l of locations) expect(l).toMatchObject({ artifactLocation: { uri: expect.stringContaining('domains.txt') }, region: { startLine: 2 } });
  });

  it('a domain named on the command line points at a stated artifact: its name, said to stand for its DNS', async () => {
    const r = await presend(['domain', 'shop.example', '--ip', '203.0.113.5', '--offline', '--zone', 'fixtures/zones', '--format', 'sarif']);
    for (const l of physical(r.stdout)) expect(l).toMatchObject({ artifactLocation: { uri: 'shop.example', description: { text: expect.stringContaining('the DNS of shop.example') } }, region: { startLine: 1 } });
  });

  it('a draft finding with no header line of its own still has a region', async () => {
    const r = await presend(['eml', 'fixtures/drafts/zip-with-cmd.eml', '--offline', '--format', 'sarif']);
    for (const l of physical(r.stdout)) expect(l?.region?.startLine).toBeGreaterThanOrEqual(1);
  });
});

describe('a batch at a terminal and in text', () => {
  it('the progress bar says the rate and the time left', async () => {
    const { progressBar, durationText } = await import('../../src/cli/run/progress.js');
    let written = '';
    let clock = 0;
    const stream = { isTTY: true, write: (s: string) => ((written = s), true) } as unknown as NodeJS.WriteStream;
    const bar = progressBar(200, stream, () => clock);
    clock = 10_000;
    for (let i = 0; i < 50; i++) bar.tick();
    expect(written).toContain('50/200 · 5.0/s · 30s left');
    expect([durationText(75), durationText(3725), durationText(8)]).toEqual(['1m15s', '1h02m', '8s']);
  });

  it('a fact every target shares is said once; --compact is a line a target, and the default past 20 targets', async () => {
    const zones = ['--offline', '--zone', 'fixtures/zones', '--ip', '198.51.100.25'];
    const full = await presend(['domain', 'shop.example', 'newsletter.example', ...zones]);
    expect(full.stdout.match(/dnsbl-unusable/g)).toHaveLength(1);
    expect(full.stdout).toContain('The same for every target — said once');
    const compact = await presend(['domain', 'shop.example', 'newsletter.example', ...zones, '--compact']);
    expect(compact.stdout.split('\n').slice(0, 2)).toEqual(['FAIL shop.example  550 MI:SPF · 550 MI:DMA  (2 error, 2 warning, 0 info)', 'WARN newsletter.example  —  (0 error, 1 warning, 0 info)']);
    const many = Array.from({ length: 21 }, () => 'newsletter.example');
    const batch = await presend(['domain', ...many, ...zones]);
    expect(batch.stdout.split('\n').filter((l) => l.startsWith('WARN newsletter.example'))).toHaveLength(21);
  });
});

describe('SARIF tool information', () => {
  it('informationUri is always there (SARIF2005): the config helpBaseUri, else the shipped README', async () => {
    const r = await presend(['eml', 'fixtures/drafts/zip-with-cmd.eml', '--offline', '--format', 'sarif']);
    const uri = (JSON.parse(r.stdout) as { runs: { tool: { driver: { informationUri: string } } }[] }).runs[0]!.tool.driver.informationUri;
    expect(uri).toMatch(/^file:\/\/.*\/README\.md$/);
    expect((await import('node:fs')).existsSync(new URL(uri))).toBe(true);
  });
});
