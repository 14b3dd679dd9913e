// A normal client, in a process of its own so the floods' own sending does not slow it: every
// half second one small message to the sink on the port given, from 127.0.0.1; when standard
// input ends it prints each message's time from connect to final reply (JSON) and exits.
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';

const port = Number(process.argv[2]);
const EVERY_MS = 500;
const raw = Buffer.from(['From: News <news@newsletter.example>', 'To: reader@163.com', 'Subject: probe', 'Date: Mon, 07 Dec 2026 10:00:00 +0800', 'Message-ID: <probe@newsletter.example>', '', 'A normal message while the sink is flooded.', ''].join('\r\n'));
const times = [];
let stopping = false;
process.stdin.on('end', () => (stopping = true));
process.stdin.resume();
while (!stopping) {
  const started = performance.now();
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'mail.newsletter.example', connectionTimeout: 30_000, socketTimeout: 30_000 });
  await transport.sendMail({ envelope: { from: 'news@newsletter.example', to: ['reader@163.com'] }, raw }).catch(() => undefined);
  times.push(performance.now() - started);
  await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
}
process.stdout.write(JSON.stringify(times) + '\n');
