// The sink under floods (issue 23), as a process on loopback: while each flood runs, a normal
// client sends one small message every half second from 127.0.0.1 and the time from connect to
// the final reply is recorded. Floods come from other loopback addresses (127.0.1.x–127.0.4.x),
// so the profile's per-IP limits do not stand in for the sink's own bounds.
//   1. 1,000 slow clients, each trickling a byte every 2 s and never finishing a command
//   2. 30 clients sending a 49 MB message each at once
//   3. a 1.2 MB draft nested 9,000 deep, sent by 4 clients in turn
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';

const LIMITS = ['max-messages-per-window', 'max-messages-per-ip-per-day', 'max-messages-per-day', 'max-messages-per-15-minutes', 'max-messages-per-connection', 'max-recipients-per-day', 'max-recipients-per-15-minutes', 'max-recipients-per-connection', 'max-connections-per-day'].flatMap((name) => ['--limit', `${name}=1000000`]);

/** The n-th flood address: 127.0.1.0 onwards, one per client. */
const floodAddress = (n) => `127.0.${1 + Math.floor(n / 250)}.${(n % 250) + 1}`;

function startSink(root, zones) {
  const child = spawn(process.execPath, ['bin/presend.js', 'sink', '--listen', '127.0.0.1:0', '--offline', ...zones.flatMap((z) => ['--zone', z]), '--log', '/dev/null', ...LIMITS], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve({ child, port: Number(/:(\d+)\s*$/.exec(d.toString().trim())[1]) })));
}

/** The sink's peak resident memory so far, from /proc (Linux). */
function peakRssMb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** The normal client (bench/sink-probe.js) while `until` runs: each message's time to its final reply. */
async function probe(root, port, until) {
  const child = spawn(process.execPath, ['bench/sink-probe.js', String(port)], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await until.catch(() => undefined);
  child.stdin.end();
  await new Promise((resolve) => child.on('close', resolve));
  return JSON.parse(out);
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { probes: times.length, medianMs: Math.round(sorted[Math.floor(sorted.length / 2)] ?? NaN), maxMs: Math.round(sorted.at(-1) ?? NaN), overOneSecond: times.filter((t) => t > 1000).length };
}

/** 1,000 connections that send a byte every 2 s and never a whole command, held for `seconds`. */
async function slowClients(port, count, seconds) {
  const sockets = [];
  for (let i = 0; i < count; i++) {
    const socket = connect({ port, host: '127.0.0.1', localAddress: floodAddress(i) });
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  const timer = setInterval(() => sockets.forEach((s) => s.writable && s.write('N')), 2000);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  clearInterval(timer);
  const stillOpen = sockets.filter((s) => !s.destroyed).length;
  sockets.forEach((s) => s.destroy());
  return { clients: count, stillOpenAfter: stillOpen };
}

/** `count` clients each sending one message of `mb` MB at once: their replies, tallied. */
async function bigMessages(port, count, mb) {
  const body = Buffer.alloc(mb * 1024 * 1024, 'y'.repeat(76) + '\r\n');
  const raw = Buffer.concat([Buffer.from('From: news@newsletter.example\r\nTo: reader@163.com\r\nSubject: big\r\n\r\n'), body]);
  const replies = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      nodemailer
        .createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'mail.newsletter.example', localAddress: floodAddress(i), socketTimeout: 600_000 })
        .sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@163.com'] }, raw })
        .then((info) => info.response, (err) => err.response ?? err.code ?? String(err)),
    ),
  );
  const tally = {};
  for (const reply of replies) tally[String(reply).slice(0, 40)] = (tally[String(reply).slice(0, 40)] ?? 0) + 1;
  return { clients: count, messageMb: mb, replies: tally };
}

/** A draft nested `depth` deep with many delimiter-like lines, about 1.2 MB. */
function deepDraft(depth) {
  const parts = ['From: news@newsletter.example\r\nTo: reader@163.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n'];
  for (let i = 0; i < depth; i++) parts.push(`Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`);
  parts.push('Content-Type: text/plain\r\n\r\nhello\r\n');
  for (let i = 0; i < 80_000; i++) parts.push(`--b${i % 97}x\r\n`);
  for (let i = depth - 1; i >= 0; i--) parts.push(`--b${i}--\r\n`);
  return Buffer.from(parts.join(''));
}

async function deepMessages(port, senders, rounds) {
  const raw = deepDraft(9000);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async (_, i) => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'mail.newsletter.example', localAddress: floodAddress(i), socketTimeout: 120_000 });
      for (let r = 0; r < rounds; r++) await transport.sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@163.com'] }, raw }).catch(() => undefined);
    }),
  );
  return { draftMb: raw.length / 1024 / 1024, messages: senders * rounds, seconds: (performance.now() - started) / 1000 };
}

export async function sinkFloods(root, zones) {
  const sink = await startSink(root, zones);
  try {
    await probe(root, sink.port, new Promise((resolve) => setTimeout(resolve, 1000)));
    const rows = [];
    for (const [name, flood] of [
      ['1,000 slow clients (a byte every 2 s) for 20 s', () => slowClients(sink.port, 1000, 20)],
      ['30 clients × 49 MB at once', () => bigMessages(sink.port, 30, 49)],
      ['9,000-deep MIME, 1.2 MB, 4 senders × 10', () => deepMessages(sink.port, 4, 10)],
    ]) {
      const running = flood();
      const [result, times] = await Promise.all([running, probe(root, sink.port, running)]);
      rows.push({ flood: name, ...result, normalClient: summary(times), sinkPeakRssMb: Math.round(peakRssMb(sink.child.pid)) });
    }
    return rows;
  } finally {
    sink.child.kill('SIGTERM');
  }
}
