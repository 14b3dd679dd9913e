/**
 * `--format html` (issue 27, first part): one self-contained document — no script, nothing
 * fetched, a Content-Security-Policy that allows neither — with the verdicts, the replies per
 * provider and the findings; every outside text escaped; a batch's overview first.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/report/html.js';
import { presend } from '../helpers/cli.js';

const zones = ['--offline', '--zone', 'fixtures/zones'];

describe('the HTML report', () => {
  it('a batch: an overview row a target (failures first), a section each, the reply each provider would write', async () => {
    const list = join(process.env.TMPDIR!, 'two.txt');
    writeFileSync(list, 'newsletter.example,198.51.100.25\nshop.example,203.0.113.5\n');
    const r = await presend(['domain', '--file', list, ...zones, '--format', 'html', '--provider', 'netease,gmail']);
    expect(r.status).toBe(1);
    const html = r.stdout;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|href="(?!#)/i);
    const overview = html.slice(html.indexOf('<h2>Overview</h2>'), html.indexOf('<section'));
    expect(overview.indexOf('shop.example')).toBeLessThan(overview.indexOf('newsletter.example'));
    expect(html.match(/<section id="t\d+"/g)).toHaveLength(2);
    expect(html).toContain('NetEase would reply: <span class="reply">550 MI:SPF</span>');
    expect(html).toMatch(/Gmail would reply: /);
    expect(html).toContain('<details><summary>What to do · Evidence</summary>');
  });

  it('in Chinese', async () => {
    const r = await presend(['domain', 'shop.example', '--ip', '203.0.113.5', ...zones, '--format', 'html', '--lang', 'zh']);
    expect(r.stdout).toContain('<html lang="zh-CN">');
    expect(r.stdout).toContain('网易将回复');
  });

  it('outside text is escaped: a TXT record with markup and bidi controls cannot inject anything', async () => {
    const zone = join(process.env.TMPDIR!, 'evil.zone');
    writeFileSync(zone, ['$ORIGIN evil.example.', '$TTL 300', '@ IN TXT "v=spf1 <script>alert(1)</script> \u202e -all"', '@ IN MX 10 mx', 'mx IN A 192.0.2.10', ''].join('\n'));
    const r = await presend(['domain', 'evil.example', '--ip', '203.0.113.5', '--offline', '--zone', zone, '--format', 'html']);
    expect(r.stdout).not.toContain('<script>');
    expect(r.stdout).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.stdout).not.toContain('\u202e');
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });

  it('a large batch leaves out the DNS traces and says so: 1,000 domains stay under 3 MB', async () => {
    const list = join(process.env.TMPDIR!, 'many.txt');
    writeFileSync(list, Array.from({ length: 1000 }, (_, i) => (i % 2 ? 'shop.example,203.0.113.5' : 'newsletter.example,198.51.100.25')).join('\n'));
    const r = await presend(['domain', '--file', list, ...zones, '--format', 'html']);
    expect(r.stdout).toContain('The DNS questions and the evidence of each target are left out of a report of 1000 targets');
    expect(r.stdout.match(/<section /g)).toHaveLength(1000);
    expect(Buffer.byteLength(r.stdout)).toBeLessThan(3 * 1024 * 1024);
  });
});
