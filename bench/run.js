#!/usr/bin/env node
// `npm run bench`: presend side by side with what users would otherwise run, in one run,
// reported as ratios (absolute times on shared machines are noise). Loopback only.
//   BENCH_RTT=50   simulated DNS round trip in ms      BENCH_RUNS=7   repetitions (median)
import { spawn } from 'node:child_process';
import { promises as dnsPromises } from 'node:dns';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { dnsblCheck } from '../dist/checks/dnsbl.js';
import { reversedLabels } from '../dist/dns/reverse.js';
import { zoneFromText, ZoneSet } from '../dist/dns/zone.js';
import { startZoneServer } from '../dist/dns/zone-server.js';
import { domainInputs } from '../dist/engine/inputs.js';
import { run } from '../dist/engine/run.js';
import { checkTarget, createSession, newDnsClient } from '../dist/engine/session.js';
import { batchAtRtt } from './batch-rtt.js';
import { htmlReportBench } from './html-report.js';
import { postfixRelayBench, sinkBench } from './sink-bench.js';
import { DOMAIN, IP, LISTS, LONGEST_CHAIN, zoneTexts } from './world.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RTT = Number(process.env.BENCH_RTT ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const { spf } = createRequire(import.meta.url)('mailauth/lib/spf/index.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
async function medianOf(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await timed(fn));
  return median(times);
}
function spawnNode(args, env = {}) {
  return spawnProcess(process.execPath, args, env);
}
function spawnProcess(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, out }));
  });
}
const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** The first of python3 and Debian's own that can import pyspf (spf), or null. */
async function pythonWithPyspf() {
  for (const python of ['python3', '/usr/bin/python3']) {
    const found = await spawnProcess(python, ['-c', 'import spf']).catch(() => ({ status: 1 }));
    if (found.status === 0) return python;
  }
  return null;
}

// ── 1. Domain checks against a DNS server that delays every answer by RTT ──────────────
async function domainBench() {
  const zones = new ZoneSet(zoneTexts().map((t, i) => zoneFromText(t, `bench-${i}`)));
  const server = await startZoneServer({ zones, delayMs: RTT });
  try {
    const session = createSession({ lang: 'en', servers: [server.address], timeoutMs: 5000, zoneFiles: [], offline: false, dnsbl: LISTS });
    const inputs = domainInputs(DOMAIN, { ip: IP, helo: 'mail.bench.example' });
    let last;
    const presendMs = await medianOf(RUNS, async () => {
      last = await checkTarget(session, inputs);
    });
    const spfResult = last.findings.find((f) => f.rule.startsWith('spf-'))?.rule ?? 'pass';
    const network = last.dns.trace.filter((t) => t.source === 'network');

    const plain = new dnsPromises.Resolver({ timeout: 5000, tries: 1 });
    plain.setServers([server.address]);
    let mailauthResult;
    const mailauthMs = await medianOf(RUNS, async () => {
      mailauthResult = await spf({ sender: `postmaster@${DOMAIN}`, ip: IP, helo: 'mail.bench.example', mta: 'bench', resolver: (name, type) => plain.resolve(name, type) });
    });

    const loopMs = await medianOf(RUNS, async () => {
      for (const zone of LISTS) {
        try {
          await plain.resolve4(`${reversedLabels(IP)}.${zone}`);
        } catch {
          // not listed
        }
      }
    });
    const presendDnsblMs = await medianOf(RUNS, () =>
      run(inputs, { profiles: session.profiles, checks: [dnsblCheck], dns: newDnsClient(session), lang: 'en', data: { dnsbl: session.dnsbl }, dnsAvailable: true }),
    );

    const cliMs = await medianOf(5, () => spawnNode(['bin/presend.js', 'domain', DOMAIN, '--ip', IP, '--helo', 'mail.bench.example', '--resolver', server.address, '--dnsbl', ...LISTS, '--format', 'json', '--output', '/dev/null']));
    // The peer a user would run instead, as a process on the same world: mailauth's own CLI (SPF only).
    const mailauthCliMs = await medianOf(5, () => spawnNode(['--import', join(root, 'bench', 'use-resolver.js'), join(root, 'node_modules', 'mailauth', 'bin', 'mailauth.js'), 'spf', '-f', `postmaster@${DOMAIN}`, '-i', IP, '-e', 'mail.bench.example', '-m', 'bench'], { BENCH_DNS: server.address }));
    // pyspf, where a Python that can import it is installed (Debian: python3-spf); absent otherwise.
    const python = await pythonWithPyspf();
    const pyspfArgs = [join(root, 'bench', 'pyspf-peer.py'), server.address, IP, `postmaster@${DOMAIN}`, 'mail.bench.example'];
    const pyspfResult = python ? (await spawnProcess(python, pyspfArgs)).out.trim() : null;
    const pyspfCliMs = python ? await medianOf(5, () => spawnProcess(python, pyspfArgs)) : null;
    const nodeMs = await medianOf(5, () => spawnNode(['-e', '0']));

    const floor = LONGEST_CHAIN * RTT;
    return {
      rttMs: RTT,
      longestChain: LONGEST_CHAIN,
      floorMs: floor,
      presendDomainMs: presendMs,
      ratioToFloor: presendMs / floor,
      target: 1.3,
      queries: network.length,
      spfResultSeen: mailauthResult.status.result,
      presendSpfFinding: spfResult,
      mailauthSpfAloneMs: mailauthMs,
      mailauthSpfAloneOverPresendDomain: mailauthMs / presendMs,
      dnsblLoopMs: loopMs,
      presendDnsblMs,
      dnsblLoopOverPresendDnsbl: loopMs / presendDnsblMs,
      cliDomainMs: cliMs,
      nodeMs,
      cliOverFloor: (cliMs - nodeMs) / floor,
      mailauthCliMs,
      mailauthCliOverPresendCli: mailauthCliMs / cliMs,
      pyspf: python ? { python, result: pyspfResult, cliMs: pyspfCliMs, overPresendCli: pyspfCliMs / cliMs } : 'absent (no Python here imports spf; Debian: apt-get install python3-spf)',
    };
  } finally {
    await server.close();
  }
}

/**
 * The domain check as a user runs it — a whole process, start-up included — on the same
 * world at a given round trip, beside `node -e 0` timed in the same rounds (issue 12 sets
 * its goal at 100 ms and asks for 20 ms too).
 */
async function cliDomainAtRtt(rtt) {
  const zones = new ZoneSet(zoneTexts().map((t, i) => zoneFromText(t, `bench-${i}`)));
  const server = await startZoneServer({ zones, delayMs: rtt });
  try {
    const cli = [];
    const node = [];
    for (let i = 0; i < RUNS; i++) {
      cli.push(await timed(() => spawnNode(['bin/presend.js', 'domain', DOMAIN, '--ip', IP, '--helo', 'mail.bench.example', '--resolver', server.address, '--dnsbl', ...LISTS, '--format', 'json', '--output', '/dev/null'])));
      node.push(await timed(() => spawnNode(['-e', '0'])));
    }
    const floorMs = LONGEST_CHAIN * rtt;
    return { rttMs: rtt, floorMs, cliMs: median(cli), nodeMs: median(node), cliOverFloor: (median(cli) - median(node)) / floorMs };
  } finally {
    await server.close();
  }
}

// ── 2. Drafts: throughput and peak memory against postal-mime and mailparser ───────────
function makeDraft(bytes) {
  const CRLF = '\r\n';
  const head = ['From: Bench <news@bench.example>', 'To: reader@163.com', 'Subject: benchmark draft', 'Date: Sat, 28 Nov 2026 10:00:00 +0800', 'Message-ID: <bench@bench.example>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain; charset=utf-8', '', 'Hello, the report is attached.', '--b', 'Content-Type: application/pdf; name="report.pdf"', 'Content-Disposition: attachment; filename="report.pdf"', 'Content-Transfer-Encoding: base64', '', ''].join(CRLF);
  const tail = `${CRLF}--b--${CRLF}`;
  // base64 with CRLF every 76 characters is 78/57 of the bytes it carries: 0.74 of the target size in random bytes.
  const b64 = randomBytes(Math.max(57, Math.floor((bytes - head.length - tail.length) * 0.74))).toString('base64').replace(/.{76}/g, `$&${CRLF}`);
  return Buffer.from(head + b64 + tail);
}

async function draftBench(dir) {
  const sizes = [
    ['1 KB', 1024, 300],
    ['100 KB', 100 * 1024, 60],
    ['10 MB', 10 * 1024 * 1024, 3],
    ['25 MB', 25 * 1024 * 1024, 2],
    ['50 MB', 50 * 1024 * 1024, 1],
  ];
  const rows = [];
  for (const [label, bytes, repeats] of sizes) {
    const file = join(dir, `draft-${bytes}.eml`);
    const raw = makeDraft(bytes);
    writeFileSync(file, raw);
    const row = { size: label, bytes: raw.length };
    for (const tool of ['presend', 'postal-mime', 'mailparser']) {
      const { out } = await spawnNode(['bench/draft-worker.js', tool, file, String(repeats)]);
      const m = JSON.parse(out.trim().split('\n').pop());
      row[tool] = { mbPerS: m.mbPerS, msPerDraft: m.ms / repeats, peakRssMb: m.peakRssMb };
    }
    rows.push(row);
  }
  // 1,000 small drafts in one `presend eml` call
  const many = join(dir, 'many');
  const small = makeDraft(2048);
  const files = Array.from({ length: 1000 }, (_, i) => join(many, `d${i}.eml`));
  (await import('node:fs')).mkdirSync(many);
  for (const f of files) writeFileSync(f, small);
  const manyMs = await medianOf(3, () => spawnNode(['bin/presend.js', 'eml', ...files, '--offline', '--format', 'json', '--output', '/dev/null', '--fail-on', 'never']));
  return { rows, thousandDraftsMs: manyMs, thousandDraftsPerDraftMs: manyMs / 1000 };
}

// ── 3. Batch: memory stays flat from 100 to 1,000 domains (NDJSON streams, nothing kept) ──
async function batchBench(dir) {
  const zone = ['$ORIGIN bulk.test.', ...Array.from({ length: 1000 }, (_, i) => `d${i} TXT "v=spf1 ip4:192.0.2.${i % 250} -all"\nd${i} MX 10 mx.bulk.test.`), 'mx A 192.0.2.1', '_dmarc TXT "v=DMARC1; p=none"'].join('\n');
  const server = await startZoneServer({ zones: new ZoneSet([zoneFromText(zone, 'bulk')]) });
  try {
    const out = {};
    for (const n of [100, 1000]) {
      const list = join(dir, `domains-${n}.txt`);
      writeFileSync(list, Array.from({ length: n }, (_, i) => `d${i}.bulk.test,192.0.2.7`).join('\n'));
      const t = performance.now();
      const { stderr, lines } = await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['bench/batch-worker.js', list, server.address], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        let count = 0;
        child.stdout.on('data', (d) => (count += d.toString().split('\n').length - 1));
        child.stderr.on('data', (d) => (err += d));
        child.on('error', reject);
        child.on('close', () => resolve({ stderr: err, lines: count }));
      });
      out[n] = { ms: performance.now() - t, lines, peakRssMb: JSON.parse(stderr.trim().split('\n').pop()).peakRssMb };
    }
    return { ...out, rssGrowth1000over100: out[1000].peakRssMb / out[100].peakRssMb };
  } finally {
    await server.close();
  }
}

// ── 4. Start-up ────────────────────────────────────────────────────────────────────────
async function startupBench() {
  // Interleaved rounds (each command once a round, `node -e 0` among them), so a slow spell of
  // this shared machine falls on every command alike instead of on whichever ran then.
  const commands = {
    node: ['-e', '0'],
    version: ['bin/presend.js', '--version'],
    codes: ['bin/presend.js', 'codes'],
    explain: ['bin/presend.js', 'explain', '550 MI:SPF'],
    // A 2 KB draft, offline: the whole draft pipeline with no DNS.
    eml: ['bin/presend.js', 'eml', 'fixtures/drafts/clean-plain.eml', '--offline'],
  };
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let round = 0; round < 21; round++) for (const [name, args] of Object.entries(commands)) times[name].push(await timed(() => spawnNode(args)));
  const [nodeMs, versionMs, codesMs, explainMs, emlMs] = Object.values(times).map(median);
  return {
    nodeMs,
    versionMs,
    codesMs,
    explainMs,
    emlMs,
    versionOverNode: versionMs / nodeMs,
    codesOverNode: codesMs / nodeMs,
    explainOverNode: explainMs / nodeMs,
    emlOverNode: emlMs / nodeMs,
  };
}

// ── 5. The sink beside a bare smtp-server, both processes, DNS from zones without delay ──
async function sinkSection() {
  const zones = new ZoneSet(zoneTexts().map((t, i) => zoneFromText(t, `bench-${i}`)));
  const server = await startZoneServer({ zones });
  try {
    const direct = await sinkBench(root, server.address, Number(process.env.BENCH_SINK_MESSAGES ?? 2000));
    return { ...direct, postfixRelay: await postfixRelayBench(root, server.address, 1000) };
  } finally {
    await server.close();
  }
}

const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'presend-bench-'));
try {
  const domain = await domainBench();
  const drafts = await draftBench(dir);
  const batch = await batchBench(dir);
  const startup = await startupBench();
  const cliByRtt = [await cliDomainAtRtt(100), await cliDomainAtRtt(20)];
  const sink = await sinkSection();
  const htmlReport = await htmlReportBench(root, dir);
  // 1,000 and 10,000 domains at 20 ms: throughput bound by CPU, not a fixed window; memory flat in N.
  const batchRtt = { small: await batchAtRtt(root, dir, 1000, 20), large: await batchAtRtt(root, dir, Number(process.env.BENCH_BATCH ?? 10000), 20) };
  const results = { date: new Date().toISOString(), node: process.version, rttMs: RTT, runs: RUNS, domain, cliByRtt, drafts, batch, batchRtt, startup, sink, htmlReport, totalSeconds: (performance.now() - started) / 1000 };
  // bench:content writes its own section ("content"): keep it.
  const file = join(root, 'bench', 'results.json');
  const { content } = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  writeFileSync(file, JSON.stringify({ ...results, ...(content ? { content } : {}) }, null, 2) + '\n');

  const lines = [];
  lines.push(`presend benchmark — Node ${process.version}, simulated DNS round trip ${RTT} ms, median of ${RUNS}`);
  lines.push('');
  lines.push('| domain check | value |');
  lines.push('|---|---|');
  lines.push(`| presend domain (in process) | ${fmt(domain.presendDomainMs, 0)} ms for ${domain.queries} queries |`);
  lines.push(`| floor = longest dependent chain × RTT | ${domain.longestChain} × ${RTT} = ${domain.floorMs} ms |`);
  lines.push(`| **ratio to the floor** (target ≤ ${domain.target}) | **${fmt(domain.ratioToFloor)}** ${domain.ratioToFloor <= domain.target ? '✓' : '✗'} |`);
  lines.push(`| mailauth SPF alone ÷ presend's whole domain check | ${fmt(domain.mailauthSpfAloneOverPresendDomain)} × |`);
  lines.push(`| one-list-at-a-time DNSBL loop ÷ presend's DNSBL check (${LISTS.length} lists) | ${fmt(domain.dnsblLoopOverPresendDnsbl)} × |`);
  lines.push(`| presend domain as a CLI (incl. start-up) | ${fmt(domain.cliDomainMs, 0)} ms |`);
  lines.push(`| (CLI − node -e 0) ÷ floor (goal ≤ 1.3) | ${fmt(domain.cliOverFloor)} |`);
  lines.push(`| mailauth's spf CLI (SPF only) ÷ presend's whole domain check, both processes | ${fmt(domain.mailauthCliOverPresendCli)} × |`);
  lines.push(`| pyspf's check2 (SPF only, as its command line runs it) ÷ presend's whole domain check, both processes | ${typeof domain.pyspf === 'string' ? domain.pyspf : `${fmt(domain.pyspf.overPresendCli)} × (${domain.pyspf.result})`} |`);
  for (const c of cliByRtt) lines.push(`| CLI at ${c.rttMs} ms RTT: (${fmt(c.cliMs, 0)} − node ${fmt(c.nodeMs, 0)} ms) ÷ floor ${c.floorMs} ms${c.rttMs === 100 ? ' (goal ≤ 1.3)' : ''} | ${fmt(c.cliOverFloor)} |`);
  lines.push('');
  lines.push('| draft | presend MB/s | postal-mime MB/s | mailparser MB/s | presend ms | presend peak RSS | postal-mime peak RSS | mailparser peak RSS |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const r of drafts.rows) {
    lines.push(`| ${r.size} | ${fmt(r.presend.mbPerS, 1)} | ${fmt(r['postal-mime'].mbPerS, 1)} | ${fmt(r.mailparser.mbPerS, 1)} | ${fmt(r.presend.msPerDraft, 1)} | ${fmt(r.presend.peakRssMb, 0)} MB | ${fmt(r['postal-mime'].peakRssMb, 0)} MB | ${fmt(r.mailparser.peakRssMb, 0)} MB |`);
  }
  lines.push(`| 1,000 × 2 KB drafts, one \`presend eml\` call | ${fmt(drafts.thousandDraftsMs / 1000, 2)} s (${fmt(drafts.thousandDraftsPerDraftMs, 2)} ms/draft) | | | | | | |`);
  lines.push('');
  lines.push('| batch (`presend domain --file`, NDJSON, local DNS) | wall | peak RSS |');
  lines.push('|---|---|---|');
  lines.push(`| 100 domains | ${fmt(batch[100].ms / 1000)} s | ${fmt(batch[100].peakRssMb, 0)} MB |`);
  lines.push(`| 1,000 domains | ${fmt(batch[1000].ms / 1000)} s | ${fmt(batch[1000].peakRssMb, 0)} MB (× ${fmt(batch.rssGrowth1000over100)} for 10× the domains) |`);
  lines.push('');
  lines.push('| batch at 20 ms RTT (`domain --file`, default concurrency) | domains/s | reports (distinct) | peak RSS |');
  lines.push('|---|---|---|---|');
  for (const b of [batchRtt.small, batchRtt.large]) lines.push(`| ${b.domains} domains | ${fmt(b.domainsPerSecond, 0)} | ${b.reports} (${b.distinct}) | ${fmt(b.peakRssMb, 0)} MB |`);
  lines.push(`| RSS at ${batchRtt.large.domains} ÷ RSS at ${batchRtt.small.domains} (goal ≤ 1.2) | ${fmt(batchRtt.large.peakRssMb / batchRtt.small.peakRssMb)} | | |`);
  lines.push('');
  lines.push('| start-up | median | ÷ node -e 0 |');
  lines.push('|---|---|---|');
  lines.push(`| node -e 0 | ${fmt(startup.nodeMs, 0)} ms | 1.00 |`);
  lines.push(`| presend --version | ${fmt(startup.versionMs, 0)} ms | ${fmt(startup.versionOverNode)} |`);
  lines.push(`| presend codes | ${fmt(startup.codesMs, 0)} ms | ${fmt(startup.codesOverNode)} |`);
  lines.push(`| presend explain "550 MI:SPF" | ${fmt(startup.explainMs, 0)} ms | ${fmt(startup.explainOverNode)} |`);
  lines.push(`| presend eml (2 KB draft, --offline) | ${fmt(startup.emlMs, 0)} ms | ${fmt(startup.emlOverNode)} |`);
  lines.push('');
  lines.push('| sink (small messages, 20 connections, nodemailer pool) | messages/s | refused |');
  lines.push('|---|---|---|');
  lines.push(`| bare smtp-server, accepts everything | ${fmt(sink.bare.messagesPerSecond, 0)} | ${sink.bare.refused} |`);
  lines.push(`| presend sink, every message checked | ${fmt(sink.sink.messagesPerSecond, 0)} | ${sink.sink.refused} |`);
  lines.push(`| **sink ÷ bare** (goal ≥ 0.5; ≥ 300 messages/s) | **${fmt(sink.ratio)}** | |`);
  lines.push(`| presend sink with --ui open in ${sink.withUi.viewer} | ${fmt(sink.withUi.messagesPerSecond, 0)} | ${sink.withUi.refused} |`);
  lines.push(`| **sink with UI ÷ bare** (goal ≥ 0.5) | **${fmt(sink.withUi.ratio)}** | |`);
  lines.push('');
  lines.push('| Postfix relaying 1,000 small messages into… (submitted over 10 connections, timed to the last delivery in its log) | messages/s | delivered / not | the receiver\'s log lines |');
  lines.push('|---|---|---|---|');
  const relay = sink.postfixRelay;
  if (relay.skipped) lines.push(`| skipped: ${relay.skipped} | | | |`);
  else {
    lines.push(`| bare smtp-server | ${fmt(relay.bare.messagesPerSecond, 0)} | ${relay.bare.sent} / ${relay.bare.notSent} | |`);
    lines.push(`| presend sink | ${fmt(relay.sink.messagesPerSecond, 0)} | ${relay.sink.sent} / ${relay.sink.notSent} | ${relay.sink.logLines} |`);
    lines.push(`| **sink ÷ bare behind Postfix** (goal ≥ 0.5) | **${fmt(relay.ratio)}** | | |`);
  }
  lines.push('');
  lines.push('| HTML report of a 1,000-domain batch | value | target |');
  lines.push('|---|---|---|');
  lines.push(`| size | ${fmt(htmlReport.bytes / 1024 / 1024)} MB | ≤ 3 MB ${htmlReport.bytes <= 3 * 1024 * 1024 ? '✓' : '✗'} |`);
  lines.push(`| opened in Chromium (navigation to load, median of 5) | ${htmlReport.openMs === null ? htmlReport.note : `${fmt(htmlReport.openMs, 0)} ms`} | ≤ 1,000 ms ${htmlReport.openMs !== null && htmlReport.openMs <= 1000 ? '✓' : '✗'} |`);
  lines.push('');
  lines.push(`(${fmt(results.totalSeconds, 0)} s; written to bench/results.json)`);
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
