/**
 * A private Postfix instance for the interop tests and the sink benchmark: Debian's postfix package, its master
 * run in the foreground on a configuration of its own (a temporary folder: queue, data,
 * log), smtpd on a free loopback port, relaying everything to `relayhost`. No DNS (native
 * lookups of literal addresses), no system configuration touched. Needs root (Postfix
 * drops privileges to its own user); `.ci/run` installs the package; otherwise skipped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, stopper, waitForPort } from './spam-engines.js';

const MASTER = '/usr/lib/postfix/sbin/master';
const postfixUser = () => spawnSync('id', ['-u', 'postfix']).stdout.toString().trim();
export const hasPostfix = process.getuid?.() === 0 && existsSync(MASTER) && existsSync('/etc/postfix/master.cf') && postfixUser() !== '';

/** @param {import('./postfix.d.ts').PostfixOptions} o @returns {Promise<import('./postfix.d.ts').RunningPostfix>} */
export async function startPostfix(o) {
  // Under /tmp itself, not the test file's private TMPDIR: Postfix's own user must reach its data folder.
  const dir = mkdtempSync('/tmp/presend-postfix-');
  chmodSync(dir, 0o755);
  const conf = join(dir, 'conf');
  for (const sub of ['conf', 'queue', 'data']) mkdirSync(join(dir, sub));
  chownSync(join(dir, 'data'), Number(postfixUser()), 0);
  const port = await freePort();
  const submissionPort = o.submission ? await freePort() : undefined;
  // Debian's master.cf with smtpd on our port, and nothing chrooted (the queue folder holds no /etc).
  const master = readFileSync('/etc/postfix/master.cf', 'utf8')
    .split('\n')
    .map((line) => {
      const fields = line.split(/\s+/);
      if (line.startsWith('#') || fields.length < 8 || !/^(inet|unix|unix-dgram|fifo|pass)$/.test(fields[1])) return line;
      if (fields[0] === 'smtp' && fields[1] === 'inet') fields[0] = `127.0.0.1:${port}`;
      fields[4] = 'n';
      return fields.join(' ');
    })
    .join('\n');
  // The settings live in main.cf under names of our own: master.cf's -o values cannot hold spaces.
  const submission = submissionPort
    ? `\n127.0.0.1:${submissionPort} inet n - n - - smtpd -o syslog_name=postfix/submission -o smtpd_tls_security_level=encrypt -o smtpd_tls_auth_only=yes -o smtpd_sasl_auth_enable=yes -o smtpd_sasl_type=dovecot -o smtpd_sasl_path=$submission_sasl_path -o smtpd_sender_login_maps=$submission_owners -o smtpd_sender_restrictions=reject_sender_login_mismatch -o smtpd_relay_restrictions=permit_sasl_authenticated,reject -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject\n`
    : '';
  writeFileSync(join(conf, 'master.cf'), master + submission);
  const tls = o.tls ? (writeFileSync(join(conf, 'cert.pem'), o.tls.cert), writeFileSync(join(conf, 'key.pem'), o.tls.key, { mode: 0o600 }), true) : false;
  writeFileSync(
    join(conf, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${dir}/queue`,
      `data_directory = ${dir}/data`,
      'meta_directory = /etc/postfix',
      'shlib_directory = /usr/lib/postfix',
      'daemon_directory = /usr/lib/postfix/sbin',
      'command_directory = /usr/sbin',
      'mail_owner = postfix',
      'setgid_group = postdrop',
      'myhostname = relay.presend.test',
      'mydomain = presend.test',
      'mydestination =',
      'inet_interfaces = 127.0.0.1',
      'inet_protocols = ipv4',
      'mynetworks = 127.0.0.0/8',
      `relayhost = [127.0.0.1]:${o.relayPort}`,
      'smtp_dns_support_level = disabled',
      'smtp_host_lookup = native',
      `maillog_file = ${dir}/maillog`,
      `maillog_file_prefixes = ${dir}`,
      'smtputf8_enable = no',
      'smtp_tls_security_level = none',
      tls ? `smtpd_tls_security_level = may\nsmtpd_tls_chain_files = ${conf}/key.pem, ${conf}/cert.pem` : 'smtpd_tls_security_level = none',
      'alias_maps =',
      'alias_database =',
      'local_recipient_maps =',
      'default_process_limit = 50',
      'smtp_destination_concurrency_limit = 20',
      'default_destination_concurrency_limit = 20',
      // A refused message bounces at once; a temporary refusal is not retried while a test runs.
      'maximal_queue_lifetime = 0',
      'bounce_queue_lifetime = 0',
      ...(o.submission
        ? [`submission_sasl_path = inet:127.0.0.1:${o.submission.saslPort}`, `submission_owners = inline:{ ${Object.entries(o.submission.owners).map(([address, login]) => `${address}=${login}`).join(', ')} }`]
        : []),
      '',
    ].join('\n'),
  );
  spawnSync('/usr/lib/postfix/sbin/post-install', [`config_directory=${conf}`, 'meta_directory=/etc/postfix', 'create-missing'], { stdio: 'ignore' });
  const child = spawn(MASTER, ['-c', conf, '-d'], { stdio: 'ignore' });
  await waitForPort(port, child, 30_000);
  if (submissionPort) await waitForPort(submissionPort, child, 30_000);
  return {
    port,
    submissionPort,
    log: () => (existsSync(join(dir, 'maillog')) ? readFileSync(join(dir, 'maillog'), 'utf8') : ''),
    stop: stopper(child, dir),
  };
}
