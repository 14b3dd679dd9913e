/**
 * `--lang zh` is Chinese throughout: every sentence a reader sees — rule messages and
 * fixes, the prose the checks write into them (PTR, HELO, DKIM keys, message format,
 * DMARC lint, blocklist meanings and advice, roles), notes, skip reasons, the summary —
 * over every fixture draft and the demo's domains, offline and with DNS failing. What may
 * stay Latin is what is not prose: names, addresses, records, codes, header and list names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../src/checks/index.js';
import { presend } from '../helpers/cli.js';

const zones = readdirSync('fixtures/zones')
  .filter((f) => f.endsWith('.zone'))
  .flatMap((f) => ['--zone', `fixtures/zones/${f}`]);
const drafts = readdirSync('fixtures/drafts')
  .filter((f) => f.endsWith('.eml'))
  .map((f) => `fixtures/drafts/${f}`);

/** Proper names the reports quote: the blocklists' own names (rules/dnsbl.yaml) and every provider's reply codes, longest first. */
const listNames = [...readFileSync('rules/dnsbl.yaml', 'utf8').matchAll(/^\s+name: (.+)$/gm)].map((m) => m[1]!.trim());
const replyCodes = readdirSync('dist/rules')
  .filter((f) => f.endsWith('.json') && !['dnsbl.json', 'content.json', 'posture.json'].includes(f))
  .flatMap((f) => (JSON.parse(readFileSync(`dist/rules/${f}`, 'utf8')) as { codes: { code: string }[] }).codes.map((c) => c.code))
  .sort((a, b) => b.length - a.length);

const checkIds = new RegExp(`\\b(${allChecks.map((c) => c.id).join('|')})\\b`, 'g');

/** Three or more English words in a row, once values are taken out, is English prose. */
export function englishProse(text: string): string[] {
  let rest = text;
  for (const name of [...replyCodes, ...listNames]) rest = rest.split(name).join(' ');
  rest = rest.replace(checkIds, ' ');
  rest = rest
    .replace(/"[^"]*"/g, ' ') // quoted values: a HELO, a header, a record
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/[\w.+-]+@[\w.-]+/g, ' ')
    .replace(/\b[\w-]+(\.[\w-]+)+\b/g, ' ') // domain names, file names
    .replace(/--[\w-]+/g, ' ')
    .replace(/\b[a-z0-9]+(-[a-z0-9]+)+\b/g, ' ') // rule and check ids
    .replace(/\b[A-Z][\w]*(-[A-Z][\w]*)+(=[\w-]+)?/g, ' '); // header names: Content-Transfer-Encoding, List-Unsubscribe=One-Click
  return rest.match(/[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,}){2,}/g) ?? [];
}

interface Report {
  findings: { rule: string; message: string; remedy: string }[];
  notes?: string[];
  skipped?: { check: string; reason: string }[];
}

function proseOf(stdout: string): { where: string; text: string }[] {
  const reports = (JSON.parse(stdout) as { reports: Report[] }).reports;
  return reports.flatMap((r) => [
    ...r.findings.flatMap((f) => [
      { where: `${f.rule} message`, text: f.message },
      { where: `${f.rule} fix`, text: f.remedy },
    ]),
    ...(r.notes ?? []).map((n) => ({ where: 'note', text: n })),
    ...(r.skipped ?? []).map((s) => ({ where: `skipped ${s.check}`, text: s.reason })),
  ]);
}

const runs: [string, string[]][] = [
  ['every fixture draft', ['eml', ...drafts, '--ip', '203.0.113.5', '--helo', 'mail.shop.example']],
  ['a draft through a 163 account', ['eml', 'fixtures/drafts/account-app-alert.eml', '--account', 'ops@163.com']],
  ['the demo domain with a DKIM selector', ['domain', 'shop.example', '--ip', '203.0.113.5', '--helo', 'mail.shop.example', '--dkim-selector', 's2024', 'old']],
  ['an empty HELO and a null sender', ['domain', 'shop.example', '--helo', '', '--mail-from', '<>']],
  ['a bare-IP HELO', ['domain', 'mailer.example', '--ip', '192.0.2.1', '--helo', '192.0.2.1']],
  ['a domain no zone holds', ['domain', 'nosuch.example', '--ip', '192.0.2.1', '--helo', 'mail.nosuch.example']],
  ['more recipients than the limit', ['eml', 'fixtures/drafts/recipients-120.eml', '--max-recipients', '50']],
  ['every provider at once', ['eml', 'fixtures/drafts/demo-campaign.eml', 'fixtures/drafts/format-problems.eml', 'fixtures/drafts/from-missing.eml', '--ip', '203.0.113.5', '--helo', 'mail.shop.example', '--provider', 'all']],
];

describe('--lang zh leaves no English prose', () => {
  it('the scanner finds English prose and passes values', () => {
    expect(englishProse('无法检查 x：its address lookup failed')).toEqual(['its address lookup failed']);
    expect(englishProse('HELO 名称 "mail.shop.example" 解析到 198.51.100.7；Content-Transfer-Encoding: 8bit 与 Spamhaus Domain Block List')).toEqual([]);
  });

  it.each(runs)('%s', async (_name, args) => {
    const json = await presend([...args, '--offline', ...zones, '--lang', 'zh', '--format', 'json']);
    const prose = proseOf(json.stdout);
    expect(prose.length).toBeGreaterThan(0);
    expect(prose.flatMap((p) => englishProse(p.text).map((words) => `${p.where}: ${words}`))).toEqual([]);
    // The text report a person reads: headings, verdict, summary and every finding line.
    const text = await presend([...args, '--offline', ...zones, '--lang', 'zh', '--verbose']);
    // Evidence values are printed as found; an unreadable draft's error is the reader's one English line, as on stderr.
    const lines = text.stdout.split('\n').filter((l) => !/^\s{8}\S/.test(l) && !l.includes(': ERROR '));
    expect(lines.flatMap((l) => englishProse(l).map((words) => `${l.trim().slice(0, 60)}: ${words}`))).toEqual([]);
  });

  it('a resolver that fails is said in Chinese too', async () => {
    const { stdout } = await presend(['domain', 'shop.example', '--ip', '203.0.113.5', '--helo', 'mail.shop.example', '--resolver', '127.0.0.1:9', '--timeout', '300', '--lang', 'zh', '--format', 'json']);
    const prose = proseOf(stdout);
    expect(prose.some((p) => p.where.includes('could-not-check'))).toBe(true);
    expect(prose.flatMap((p) => englishProse(p.text).map((words) => `${p.where}: ${words}`))).toEqual([]);
  });
});
