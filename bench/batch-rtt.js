// A batch as a user runs it: `presend domain --file` with N domains (SPF with one include,
// DMARC, PTR, one blocklist) against a DNS server that answers every question after RTT ms,
// as a whole process. Domains per second, peak RSS, and whether every domain came back once.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zoneFromText, ZoneSet } from '../dist/dns/zone.js';
import { startZoneServer } from '../dist/dns/zone-server.js';

export async function batchAtRtt(root, dir, n, rttMs) {
  const lines = [];
  for (let i = 0; i < n; i++) lines.push(`d${i} TXT "v=spf1 include:_spf.esp.test -all"`, `_dmarc.d${i} TXT "v=DMARC1; p=none"`);
  const zone = ['$ORIGIN bulk.test.', ...lines, 'mail A 192.0.2.7', '$ORIGIN esp.test.', '_spf TXT "v=spf1 ip4:192.0.2.0/24 -all"', '$ORIGIN 2.0.192.in-addr.arpa.', '7 PTR mail.bulk.test.', '$ORIGIN bl.bench.test.', '2.0.0.127 A 127.0.0.2'].join('\n');
  const server = await startZoneServer({ zones: new ZoneSet([zoneFromText(zone, 'bulk')]), delayMs: rttMs });
  const list = join(dir, `batch-${n}.txt`);
  writeFileSync(list, Array.from({ length: n }, (_, i) => `d${i}.bulk.test,192.0.2.7`).join('\n'));
  try {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', join(root, 'bench', 'report-rss.js'), 'bin/presend.js', 'domain', '--file', list, '--resolver', server.address, '--format', 'ndjson', '--dnsbl', 'bl.bench.test', '--fail-on', 'never'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const seen = new Set();
    let lines = 0;
    let buffer = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      buffer += d;
      const parts = buffer.split('\n');
      buffer = parts.pop();
      for (const l of parts) {
        lines++;
        seen.add(JSON.parse(l).index);
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise((resolve) => child.on('close', resolve));
    const seconds = (Date.now() - started) / 1000;
    return { domains: n, rttMs, seconds, domainsPerSecond: n / seconds, reports: lines, distinct: seen.size, peakRssMb: Number(/peak-rss-kb (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024 };
  } finally {
    await server.close();
  }
}
