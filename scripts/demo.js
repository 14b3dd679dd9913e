#!/usr/bin/env node
// `npm run demo`: a full presend session with no network. An embedded DNS server on
// 127.0.0.1 serves fixtures/zones (the sending domains, reverse DNS and the blocklists
// as a resolver would see them); the real CLI then checks domains and drafts through it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import nodemailer from 'nodemailer';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startZoneServer } from '../dist/dns/zone-server.js';
import { loadZoneFile, ZoneSet } from '../dist/dns/zone.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const zonesDir = join(root, 'fixtures', 'zones');
const zones = new ZoneSet(readdirSync(zonesDir).filter((f) => f.endsWith('.zone')).sort().map((f) => loadZoneFile(join(zonesDir, f))));
const server = await startZoneServer({ zones });

const steps = [
  ['A campaign from 203.0.113.5 for shop.example: SPF fails, DMARC p=reject, the IP is listed, Spamhaus refuses this resolver',
    ['domain', 'shop.example', '--ip', '203.0.113.5', '--helo', 'mail.shop.example', '--dkim-selector', 's2024', 'old']],
  ['A misconfigured MTA: empty HELO and a null envelope sender',
    ['domain', 'shop.example', '--helo', '', '--mail-from', '<>']],
  ['A clean, DKIM-signed newsletter from a well-configured sender',
    ['eml', 'fixtures/drafts/clean-newsletter.eml', '--ip', '198.51.100.25', '--helo', 'mail.newsletter.example']],
  ['The campaign draft: foreign envelope sender, a .scr in a zip, a blocklisted link, 130 recipients',
    ['eml', 'fixtures/drafts/demo-campaign.eml', '--ip', '203.0.113.5', '--helo', 'mail.shop.example']],
  ['The same campaign to every big receiver at once: NetEase, Gmail, Outlook.com, QQ Mail and Yahoo, each with its own reply',
    ['eml', 'fixtures/drafts/demo-campaign.eml', '--ip', '203.0.113.5', '--helo', 'mail.shop.example', '--provider', 'all']],
  ['An application alert sent through a 163 account (smtp.163.com): another sender, a test subject, an empty body',
    ['eml', 'fixtures/drafts/account-app-alert.eml', '--account', 'ops@163.com']],
  ['A bounce as a Python program printed it: the status, the token and the answering server',
    ['explain', "smtplib.SMTPDataError: (554, b'DT:SPM 163 smtp12,EMCowACnzwc_BjhcKMZmAQ--.20404S2 1547175487,please see http://mail.163.com/help/help_spam_16.htm?ip=218.94.104.2&hostid=smtp12&time=1547175487')"]],
  ['A Gmail bounce from a Postfix log: explain names the provider from the reply itself',
    ['explain', "host gmail-smtp-in.l.google.com[142.250.27.26] said: 550-5.7.25 [203.0.113.5] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. - gsmtp (in reply to end of DATA command)"]],
  ['A bounce came back anyway: what does it mean?',
    ['explain', '--file', 'fixtures/bounces/163-mi-spf.eml']],
  ['The same in Chinese, from a bare reply line',
    ['explain', '550 MI:DMA', '--lang', 'zh']],
];

const needsResolver = new Set(['domain', 'eml']);

/**
 * The sink section: `presend sink` answers like NetEase's MX on loopback; the report
 * draft goes through it with nodemailer, as an application's integration test would.
 */
async function sinkSection() {
  const dir = mkdtempSync(join(tmpdir(), 'presend-demo-'));
  const log = join(dir, 'sink.ndjson');
  const args = ['sink', '--listen', '127.0.0.1:0', '--resolver', server.address, '--timeout', '2000', '--client-ip', '198.51.100.5', '--log', log];
  process.stdout.write(`\n── Test your mailer against NetEase before production: a sink that answers like NetEase's MX\n$ presend ${args.join(' ')} &\n\n`);
  const sink = spawn(process.execPath, [join(root, 'bin', 'presend.js'), ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const first = await new Promise((resolve) => sink.stdout.once('data', (d) => resolve(d.toString())));
    process.stdout.write(first);
    const port = Number(/:(\d+)\n?$/.exec(first.trim())[1]);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'mail.shop.example' });
    process.stdout.write(`\nnodemailer sends fixtures/drafts/zip-with-cmd.eml (MAIL FROM:<news@shop.example>, RCPT TO:<reader@163.com>):\n`);
    try {
      const info = await transport.sendMail({ envelope: { from: 'news@shop.example', to: ['reader@163.com'] }, raw: readFileSync(join(root, 'fixtures', 'drafts', 'zip-with-cmd.eml')) });
      process.stdout.write(`  accepted: ${info.response}\n`);
    } catch (err) {
      process.stdout.write(`  refused: ${err.response} (nodemailer: ${err.code}, responseCode ${err.responseCode})\n`);
    }
    sink.kill('SIGTERM');
    await new Promise((resolve) => sink.on('close', resolve));
    const entry = JSON.parse(readFileSync(log, 'utf8').trim().split('\n').pop());
    process.stdout.write(`\nThe sink's log line for that transaction (--log):\n`);
    process.stdout.write(`  replies: ${entry.replies.map((r) => `${r.command} → ${r.reply}`).join(' · ')}\n`);
    process.stdout.write(`  findings: ${entry.findings.map((f) => `${f.severity} ${f.code ?? '(no code)'} ${f.rule}`).join(' · ')}\n`);
  } finally {
    sink.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  for (const [title, args] of steps) {
    const full = needsResolver.has(args[0]) ? [...args, '--resolver', server.address, '--timeout', '2000'] : args;
    const shown = full.map((a) => (a === '' || /[\s<>]/.test(a) ? JSON.stringify(a) : a)).join(' ');
    process.stdout.write(`\n── ${title}\n$ presend ${shown}\n\n`);
    // Asynchronous on purpose: the DNS server answers from this process's event loop.
    const child = spawn(process.execPath, [join(root, 'bin', 'presend.js'), ...full], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'inherit', 'inherit'] });
    const status = await new Promise((resolve) => child.on('close', resolve));
    process.stdout.write(`(exit status ${status})\n`);
  }
  await sinkSection();
} finally {
  await server.close();
}
