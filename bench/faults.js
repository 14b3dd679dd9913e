#!/usr/bin/env node
// `npm run bench:faults`: the figures behind README's "What presend promises under faults",
// measured on whole CLI processes over loopback (no timed assertion lives in the tests).
//   1. every DNS fault mode × a batch of clean domains: hangs, crashes, wrong verdicts
//   2. 5,000 clean domains under 20 % packet loss and 50 ms delay: reports out, errors caused by lookups
//   3. a 200 MB draft carrying 12 large zips: peak RSS of the process
//   4. the sink under floods (bench/sink-floods.js): how long a normal client waits meanwhile
// In the clean world every domain passes when DNS answers, so any error-level finding is a wrong verdict.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';
import { zoneFromText, ZoneSet } from '../dist/dns/zone.js';
import { startZoneServer } from '../dist/dns/zone-server.js';
import { sinkFloods } from './sink-floods.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOMAINS = Number(process.env.BENCH_FAULT_DOMAINS ?? 20);
const LOSS_DOMAINS = Number(process.env.BENCH_LOSS_DOMAINS ?? 5000);
const TIMEOUT_MS = 400;

function world(n) {
  const domains = Array.from({ length: n }, (_, i) => `d${i} TXT "v=spf1 ip4:203.0.113.0/24 -all"\nd${i} MX 10 mx.w.test.\n_dmarc.d${i} TXT "v=DMARC1; p=reject; rua=mailto:dmarc@w.test"`).join('\n');
  const text = `$ORIGIN w.test.\n@ TXT "v=spf1 -all"\nmx A 198.51.100.10\nmail A 203.0.113.5\n${domains}\n$ORIGIN 113.0.203.in-addr.arpa.\n5 PTR mail.w.test.\n$ORIGIN bl.w.test.\n2.0.0.127 A 127.0.0.2\n`;
  return new ZoneSet([zoneFromText(text, 'fault-world')]);
}

/** Runs the CLI; past `boundMs` it is killed and counted as a hang. */
function cli(args, boundMs, extra = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [...(extra.nodeArgs ?? []), 'bin/presend.js', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, boundMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, hung, ms: Date.now() - started });
    });
  });
}

function tally(run, expected) {
  const reports = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).report);
  const errors = reports.flatMap((r) => r.findings.filter((f) => f.severity === 'error').map((f) => `${r.target.domain}: ${f.rule}`));
  // 3 is "could not judge" (a domain whose own SPF or DMARC lookups all failed): a verdict, not a crash.
  const crashed = ![0, 1, 3].includes(run.status) || /internal error|\n\s+at .+:\d+:\d+/.test(run.stderr);
  return { reports: reports.length, expected, missing: expected - reports.length, errors: errors.length, errorSamples: errors.slice(0, 3), crashed, hung: run.hung, seconds: run.ms / 1000 };
}

async function faultMatrix(dir) {
  const list = join(dir, 'fault-domains.txt');
  writeFileSync(list, Array.from({ length: DOMAINS }, (_, i) => `d${i}.w.test`).join('\n'));
  const zones = world(DOMAINS);
  const modes = ['silent', 'servfail', 'refused', 'truncate-silent-tcp', 'parse-bomb', 'garbage', 'wrong-owner', 'cname-loop'];
  const scopes = { 'every question': () => true, 'TXT only': (_n, t) => t === 'TXT', 'PTR and A only': (_n, t) => t === 'PTR' || t === 'A' };
  const rows = [];
  for (const mode of modes) {
    for (const [scope, applies] of Object.entries(scopes)) {
      const server = await startZoneServer({ zones, fault: (name, type) => (applies(name, type) ? mode : undefined) });
      try {
        // A run may take at most (dependent lookups) × timeout × tries; 60 s is far past that.
        const run = await cli(['domain', '--file', list, '--ip', '203.0.113.5', '--helo', 'mail.w.test', '--dnsbl', 'bl.w.test', '--resolver', server.address, '--timeout', String(TIMEOUT_MS), '--format', 'ndjson'], 60_000);
        rows.push({ mode, scope, ...tally(run, DOMAINS) });
      } finally {
        await server.close();
      }
    }
  }
  return rows;
}

async function lossRun(dir) {
  const list = join(dir, 'loss-domains.txt');
  writeFileSync(list, Array.from({ length: LOSS_DOMAINS }, (_, i) => `d${i}.w.test`).join('\n'));
  const server = await startZoneServer({ zones: world(LOSS_DOMAINS), lossRate: 0.2, delayMs: 50, seed: 7 });
  try {
    const run = await cli(['domain', '--file', list, '--ip', '203.0.113.5', '--helo', 'mail.w.test', '--dnsbl', 'bl.w.test', '--resolver', server.address, '--timeout', String(TIMEOUT_MS), '--format', 'ndjson'], 30 * 60_000);
    const result = tally(run, LOSS_DOMAINS);
    const reports = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).report);
    const couldNotCheck = reports.filter((r) => r.findings.some((f) => /could-not-check/.test(f.rule))).length;
    return { ...result, couldNotCheck, received: server.received };
  } finally {
    await server.close();
  }
}

async function bigDraft(dir) {
  const file = join(dir, 'big.eml');
  const out = createWriteStream(file);
  const write = (s) => new Promise((resolve) => out.write(s, resolve));
  await write('From: News <news@w.test>\r\nTo: a@163.com\r\nSubject: twelve archives\r\nDate: Mon, 02 Mar 2026 10:00:00 +0800\r\nMessage-ID: <big@w.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe archives.\r\n');
  for (let i = 0; i < 12; i++) {
    const zip = new yazl.ZipFile();
    zip.addBuffer(randomBytes(12 * 1024 * 1024), `data${i}.bin`, { compress: false });
    zip.addBuffer(Buffer.from('x'), i === 11 ? 'tools/run.scr' : 'readme.txt');
    zip.end();
    const chunks = [];
    for await (const c of zip.outputStream) chunks.push(c);
    await write(`--b\r\nContent-Type: application/zip; name="part${i}.zip"\r\nContent-Disposition: attachment; filename="part${i}.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n`);
    await write(Buffer.concat(chunks).toString('base64').replace(/.{76}/g, '$&\r\n') + '\r\n');
  }
  await write('--b--\r\n');
  await new Promise((resolve) => out.end(resolve));
  const size = (await import('node:fs')).statSync(file).size;
  // The child reports its own peak RSS as it exits.
  const run = await cli(['eml', file, '--offline', '--format', 'json'], 120_000, { nodeArgs: ['--import', join(root, 'bench', 'report-rss.js')] });
  const peak = Number(/peak-rss-kb (\d+)/.exec(run.stderr)?.[1] ?? NaN);
  const findings = JSON.parse(run.stdout).reports[0].findings.map((f) => f.rule);
  return { draftMb: size / 1024 / 1024, peakRssMb: peak / 1024, foundScrInLastZip: findings.includes('attachment-forbidden'), seconds: run.ms / 1000 };
}

const dir = mkdtempSync(join(tmpdir(), 'presend-faults-'));
try {
  const matrix = await faultMatrix(dir);
  const loss = await lossRun(dir);
  const draft = await bigDraft(dir);
  const floods = await sinkFloods(root, ['fixtures/zones/newsletter.example.zone']);
  const totals = {
    runs: matrix.length,
    hangs: matrix.filter((r) => r.hung).length,
    crashes: matrix.filter((r) => r.crashed).length,
    wrongVerdicts: matrix.reduce((n, r) => n + r.errors, 0),
    missingReports: matrix.reduce((n, r) => n + r.missing, 0),
  };
  const results = { date: new Date().toISOString(), node: process.version, timeoutMs: TIMEOUT_MS, totals, matrix, loss, draft, floods };
  writeFileSync(join(root, 'bench', 'faults-results.json'), JSON.stringify(results, null, 2) + '\n');
  const lines = [
    `presend under faults — Node ${process.version}, --timeout ${TIMEOUT_MS}`,
    '',
    `| fault matrix (${modesLine(matrix)}) | value |`,
    '|---|---|',
    `| runs (mode × scope, ${DOMAINS} domains each) | ${totals.runs} |`,
    `| hangs | ${totals.hangs} |`,
    `| crashes | ${totals.crashes} |`,
    `| wrong verdicts (error-level findings in a world that is clean when DNS answers) | ${totals.wrongVerdicts} |`,
    `| reports missing | ${totals.missingReports} |`,
    `| slowest run | ${Math.max(...matrix.map((r) => r.seconds)).toFixed(1)} s |`,
    '',
    `| ${LOSS_DOMAINS} domains, 20 % packet loss, 50 ms delay | value |`,
    '|---|---|',
    `| reports out | ${loss.reports} of ${loss.expected} |`,
    `| error-level findings caused by a failed lookup | ${loss.errors} |`,
    `| domains with a "could not check" warning | ${loss.couldNotCheck} |`,
    `| wall | ${loss.seconds.toFixed(1)} s |`,
    '',
    `| ${draft.draftMb.toFixed(0)} MB draft, 12 zips of 12 MB | value |`,
    '|---|---|',
    `| peak RSS | ${draft.peakRssMb.toFixed(0)} MB |`,
    `| .scr in the last zip found | ${draft.foundScrInLastZip ? 'yes' : 'no'} |`,
    `| wall | ${draft.seconds.toFixed(1)} s |`,
    '',
    '| the sink flooded | a normal client: median / slowest (over 1 s) | sink peak RSS |',
    '|---|---|---|',
    ...floods.map((f) => `| ${f.flood} | ${f.normalClient.medianMs} / ${f.normalClient.maxMs} ms (${f.normalClient.overOneSecond} of ${f.normalClient.probes}) | ${f.sinkPeakRssMb} MB |`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function modesLine(matrix) {
  return [...new Set(matrix.map((r) => r.mode))].join(', ');
}
