// The sink's throughput beside a bare smtp-server, both as processes on loopback: small
// messages over 20 concurrent connections (nodemailer's pool), DNS answered from zones.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';

const CONNECTIONS = 20;

function startProcess(root, args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve({ child, port: Number(/:(\d+)\s*$/.exec(d.toString().trim())[1]) })));
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

export async function sinkBench(root, dnsAddress, messages = 2000) {
  const raw = Buffer.from(
    ['From: Bench <news@bench.example>', 'To: reader@163.com', 'Subject: benchmark', 'Date: Sat, 28 Nov 2026 10:00:00 +0800', 'Message-ID: <b@bench.example>', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'A small message for the throughput benchmark.', ''].join('\r\n'),
  );
  const bare = await startProcess(root, ['bench/bare-smtp.js']);
  // The bench is one sender at a high rate: the profile's per-IP and per-sender limits are raised out of the way.
  const limits = ['max-messages-per-window', 'max-messages-per-ip-per-day', 'max-messages-per-day', 'max-messages-per-15-minutes', 'max-messages-per-connection', 'max-recipients-per-day', 'max-recipients-per-15-minutes', 'max-recipients-per-connection', 'max-connections-per-day', 'max-concurrent-connections'].flatMap((name) => ['--limit', `${name}=1000000`]);
  const sink = await startProcess(root, ['bin/presend.js', 'sink', '--listen', '127.0.0.1:0', '--resolver', dnsAddress, '--client-ip', '192.0.2.200', '--log', '/dev/null', '--dnsbl', 'zen.spamhaus.org', 'b.barracudacentral.org', ...limits]);
  try {
    // A warm-up run each, so both are measured with their modules loaded and caches filled.
    await blast(bare.port, 100, raw);
    await blast(sink.port, 100, raw);
    const bareRun = await blast(bare.port, messages, raw);
    const sinkRun = await blast(sink.port, messages, raw);
    return { messages, connections: CONNECTIONS, bare: bareRun, sink: sinkRun, ratio: sinkRun.messagesPerSecond / bareRun.messagesPerSecond };
  } finally {
    bare.child.kill('SIGTERM');
    sink.child.kill('SIGTERM');
  }
}
