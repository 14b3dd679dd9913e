/**
 * `--format html` in a real browser: the demo campaign's report and a 200-domain batch show
 * their verdicts and each provider's reply codes, with no script; axe-core finds no serious
 * or critical violation; screenshots go to test-output/.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launch, screenshot, seriousViolations } from '../helpers/browser.js';
import { presend } from '../helpers/cli.js';

/** 200 sending domains with SPF and DMARC of every kind: passing, failing, missing, broken. */
export function batchZone(count: number): { names: string[]; zone: string } {
  const names = Array.from({ length: count }, (_, i) => `d${String(i).padStart(3, '0')}.example`);
  const spf = ['v=spf1 ip4:203.0.113.0/24 -all', 'v=spf1 -all', 'v=spf1 include:missing.example ~all', 'v=spf1 ip4:203.0.113.5 +all'];
  const dmarc = ['v=DMARC1; p=reject; rua=mailto:d@shop.example', 'v=DMARC1; p=none', null, 'v=DMARC1; p=quarantine; pct=50'];
  const zone = names
    .map((name, i) => {
      const lines = [`$ORIGIN ${name}.`, '@ 300 IN SOA ns.example. host.example. 1 3600 600 86400 300', '@ 300 IN NS ns.example.', '@ 300 IN MX 10 mx.example.'];
      if (i % 5 !== 4) lines.push(`@ 300 IN TXT "${spf[i % spf.length]}"`);
      const record = dmarc[i % dmarc.length];
      if (record) lines.push(`_dmarc 300 IN TXT "${record}"`);
      return lines.join('\n');
    })
    .join('\n\n');
  return { names, zone: zone + '\n' };
}

describe.skipIf(!chromiumPath)('the HTML report in Chromium', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'presend-html-'));
  beforeAll(async () => void (browser = await launch()), 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the demo campaign: the verdict and each provider’s reply, readable with scripts off', async () => {
    const file = join(dir, 'campaign.html');
    await presend(['eml', 'fixtures/drafts/demo-campaign.eml', '--ip', '203.0.113.5', '--helo', 'mail.shop.example', '--provider', 'all', '--offline', '--zone', 'fixtures/zones', '--format', 'html', '--output', file]);
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1300, height: 900 } });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    const text = await page.textContent('body');
    expect(text).toMatch(/NetEase would reply/);
    expect(text).toContain('NetEase would reply: 550 MI:DMA');
    expect(text).toMatch(/Gmail would reply: 550 5\.7\.26/);
    await screenshot(page, 'report.png');
    await context.close();
    const checked = await browser.newPage();
    await checked.goto(pathToFileURL(file).href);
    expect(await seriousViolations(checked)).toEqual([]);
    await checked.close();
  });

  it('a 200-domain batch: one overview row per domain, with its codes', async () => {
    const { names, zone } = batchZone(200);
    writeFileSync(join(dir, 'batch.zone'), zone);
    const file = join(dir, 'batch.html');
    await presend(['domain', ...names, '--ip', '203.0.113.5', '--helo', 'mail.shop.example', '--offline', '--zone', join(dir, 'batch.zone'), 'fixtures/zones', '--format', 'html', '--output', file]);
    const page = await browser.newPage();
    const started = Date.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const loadMs = Date.now() - started;
    const rows = await page.$$eval('table tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows.filter((r) => /d\d{3}\.example/.test(r)).length).toBeGreaterThanOrEqual(200);
    expect(rows.some((r) => r.includes('550 MI:SPF'))).toBe(true);
    expect(loadMs).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
