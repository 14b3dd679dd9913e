// The HTML report of a 1,000-domain batch: its size, and how long Debian's Chromium takes to
// open it (navigation to the load event, median of 5), beside the targets (≤ 3 MB, ≤ 1 s).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

export async function htmlReportBench(root, dir, count = 1000) {
  const zone = ['$ORIGIN bulk.test.', '@ SOA ns.bulk.test. host.bulk.test. 1 3600 600 86400 300', ...Array.from({ length: count }, (_, i) => `d${i} TXT "v=spf1 ip4:192.0.2.${i % 250} ${i % 3 === 0 ? '-all' : '~all'}"\nd${i} MX 10 mx.bulk.test.`), 'mx A 192.0.2.1', '_dmarc TXT "v=DMARC1; p=reject"'].join('\n');
  writeFileSync(join(dir, 'bulk.zone'), zone + '\n');
  const file = join(dir, 'batch.html');
  const names = Array.from({ length: count }, (_, i) => `d${i}.bulk.test`);
  try {
    execFileSync(process.execPath, ['bin/presend.js', 'domain', ...names, '--ip', '192.0.2.7', '--offline', '--zone', join(dir, 'bulk.zone'), '--format', 'html', '--output', file], { cwd: root, stdio: 'ignore' });
  } catch {
    // Exit 1: the batch has failing domains, as it should; the report is written all the same.
  }
  const bytes = statSync(file).size;
  if (!existsSync('/usr/bin/chromium')) return { domains: count, bytes, openMs: null, note: 'Chromium not installed: opening not measured' };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  try {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const page = await browser.newPage();
      const t = performance.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      times.push(performance.now() - t);
      await page.close();
    }
    return { domains: count, bytes, openMs: times.sort((a, b) => a - b)[2] };
  } finally {
    await browser.close();
  }
}
