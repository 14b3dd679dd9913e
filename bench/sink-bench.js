// The sink's throughput beside a bare smtp-server, both as processes on loopback: small
// messages over 20 concurrent connections (nodemailer's pool), DNS answered from zones.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { hasPostfix, startPostfix } from '../scripts/postfix.js';

const CONNECTIONS = 20;

function startProcess(root, args) {
  const ui = args.includes('--ui');
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', ui ? 'pipe' : 'inherit'] });
  const port = new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(/:(\d+)\s*$/.exec(d.toString().trim())[1]))));
  const uiUrl = ui ? new Promise((resolve) => child.stderr.on('data', (d) => /ui on (http:\S+)/.test(d.toString()) && resolve(/ui on (http:\S+)/.exec(d.toString())[1]))) : Promise.resolve(null);
  return Promise.all([port, uiUrl]).then(([p, url]) => ({ child, port: p, uiUrl: url }));
}

/** The UI open in Chromium (Debian's, where installed), following the sink's events as a developer's tab would; else an event-stream reader. */
async function connectUi(url) {
  const { existsSync } = await import('node:fs');
  if (existsSync('/usr/bin/chromium')) {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
    const page = await browser.newPage();
    await page.goto(url);
    return { how: 'Chromium', close: () => browser.close() };
  }
  const controller = new AbortController();
  const res = await fetch(`${url}api/v1/events`, { signal: controller.signal });
  void res.body.pipeTo(new WritableStream()).catch(() => undefined);
  return { how: 'an event-stream reader (no Chromium)', close: () => controller.abort() };
}

async function blast(port, messages, raw) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity, name: 'mail.bench.example' });
  const started = performance.now();
  let refused = 0;
  await Promise.all(
    Array.from({ length: messages }, () =>
      transport.sendMail({ envelope: { from: 'news@bench.example', to: ['reader@163.com'] }, raw }).catch(() => {
        refused++;
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return { messagesPerSecond: messages / seconds, seconds, refused };
}

const RAW = Buffer.from(
  ['From: Bench <news@bench.example>', 'To: reader@163.com', 'Subject: benchmark', 'Date: Sat, 28 Nov 2026 10:00:00 +0800', 'Message-ID: <b@bench.example>', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'A small message for the throughput benchmark.', ''].join('\r\n'),
);
// The bench is one sender at a high rate: the profile's per-IP and per-sender limits are raised out of the way.
const LIMITS = ['max-messages-per-window', 'max-messages-per-ip-per-day', 'max-messages-per-day', 'max-messages-per-15-minutes', 'max-messages-per-connection', 'max-recipients-per-day', 'max-recipients-per-15-minutes', 'max-recipients-per-connection', 'max-connections-per-day', 'max-concurrent-connections'].flatMap((name) => ['--limit', `${name}=1000000`]);
const sinkArgs = (dnsAddress, log) => ['bin/presend.js', 'sink', '--listen', '127.0.0.1:0', '--resolver', dnsAddress, '--client-ip', '192.0.2.200', '--log', log, '--dnsbl', 'zen.spamhaus.org', 'b.barracudacentral.org', ...LIMITS];

export async function sinkBench(root, dnsAddress, messages = 2000) {
  const bare = await startProcess(root, ['bench/bare-smtp.js']);
  const sink = await startProcess(root, sinkArgs(dnsAddress, '/dev/null'));
  let withUi;
  let viewer;
  try {
    // A warm-up run each, so all are measured with their modules loaded and caches filled.
    await blast(bare.port, 100, RAW);
    await blast(sink.port, 100, RAW);
    const bareRun = await blast(bare.port, messages, RAW);
    const sinkRun = await blast(sink.port, messages, RAW);
    // The sink with its UI open in a browser, started only now: the runs above share the machine with nothing.
    withUi = await startProcess(root, [...sinkArgs(dnsAddress, '/dev/null'), '--ui', '127.0.0.1:0']);
    viewer = await connectUi(withUi.uiUrl);
    await blast(withUi.port, 100, RAW);
    const uiRun = await blast(withUi.port, messages, RAW);
    return {
      messages,
      connections: CONNECTIONS,
      bare: bareRun,
      sink: sinkRun,
      ratio: sinkRun.messagesPerSecond / bareRun.messagesPerSecond,
      withUi: { ...uiRun, viewer: viewer.how, ratio: uiRun.messagesPerSecond / bareRun.messagesPerSecond },
    };
  } finally {
    await viewer?.close();
    bare.child.kill('SIGTERM');
    sink.child.kill('SIGTERM');
    withUi?.child.kill('SIGTERM');
  }
}

/**
 * Postfix (a private instance, scripts/postfix.js) relaying `messages` small messages into a
 * receiver: submitted over 10 connections, timed until Postfix's log shows every one delivered
 * or bounced (or 180 s passed).
 */
async function relayThroughPostfix(receiverPort, messages) {
  const postfix = await startPostfix({ relayPort: receiverPort });
  try {
    const started = performance.now();
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: postfix.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 10, maxMessages: Infinity });
    await Promise.all(Array.from({ length: messages }, () => transport.sendMail({ envelope: { from: 'news@bench.example', to: ['reader@163.com'] }, raw: RAW })));
    transport.close();
    const outcomes = () => [...postfix.log().matchAll(/ status=(sent|bounced|deferred) /g)].map((m) => m[1]);
    while (outcomes().length < messages && performance.now() - started < 180_000) await new Promise((r) => setTimeout(r, 100));
    const seconds = (performance.now() - started) / 1000;
    const done = outcomes();
    return { messagesPerSecond: messages / seconds, seconds, sent: done.filter((s) => s === 'sent').length, notSent: done.filter((s) => s !== 'sent').length };
  } finally {
    await postfix.stop();
  }
}

/** The same comparison with Postfix in front, as a real relay would deliver into the sink; the sink's log lines counted against Postfix's deliveries. */
export async function postfixRelayBench(root, dnsAddress, messages = 1000) {
  if (!hasPostfix) return { skipped: 'Postfix is not installed, or this is not root (Postfix drops privileges to its own user)' };
  const dir = mkdtempSync(join(tmpdir(), 'presend-relay-bench-'));
  const log = join(dir, 'sink.ndjson');
  const bare = await startProcess(root, ['bench/bare-smtp.js']);
  const sink = await startProcess(root, sinkArgs(dnsAddress, log));
  try {
    const bareRun = await relayThroughPostfix(bare.port, messages);
    const sinkRun = await relayThroughPostfix(sink.port, messages);
    const sinkLogLines = readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    return { messages, bare: bareRun, sink: { ...sinkRun, logLines: sinkLogLines }, ratio: sinkRun.messagesPerSecond / bareRun.messagesPerSecond };
  } finally {
    bare.child.kill('SIGTERM');
    sink.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
