/**
 * A private Postfix instance for the interop tests: Debian's postfix package, its master
 * run in the foreground on a configuration of its own (a temporary folder: queue, data,
 * log), smtpd on a free loopback port, relaying everything to `relayhost`. No DNS (native
 * lookups of literal addresses), no system configuration touched. Needs root (Postfix
 * drops privileges to its own user); `.ci/run` installs the package; otherwise skipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
// @ts-expect-error: a plain ES module of the build scripts, without types.
import { freePort, waitForPort } from '../../scripts/spam-engines.js';
import { join } from 'node:path';

const MASTER = '/usr/lib/postfix/sbin/master';
const postfixUser = () => spawnSync('id', ['-u', 'postfix']).stdout.toString().trim();
export const hasPostfix = process.getuid?.() === 0 && existsSync(MASTER) && existsSync('/etc/postfix/master.cf') && postfixUser() !== '';

export interface RunningPostfix {
  port: number;
  /** The instance's maillog (Postfix's own log lines). */
  log(): string;
  stop(): Promise<void>;
}

export interface PostfixOptions {
  relayPort: number;
  /** smtpd's STARTTLS certificate and key (PEM), offered when given. */
  tls?: { cert: string; key: string };
}

export async function startPostfix(o: PostfixOptions): Promise<RunningPostfix> {
  // Under /tmp itself, not the test file's private TMPDIR: Postfix's own user must reach its data folder.
  const dir = mkdtempSync('/tmp/presend-postfix-');
  chmodSync(dir, 0o755);
  const conf = join(dir, 'conf');
  for (const sub of ['conf', 'queue', 'data']) mkdirSync(join(dir, sub));
  chownSync(join(dir, 'data'), Number(postfixUser()), 0);
  const port = await freePort();
  // Debian's master.cf with smtpd on our port, and nothing chrooted (the queue folder holds no /etc).
  const master = readFileSync('/etc/postfix/master.cf', 'utf8')
    .split('\n')
    .map((line) => {
      const fields = line.split(/\s+/);
      if (line.startsWith('#') || fields.length < 8 || !/^(inet|unix|unix-dgram|fifo|pass)$/.test(fields[1]!)) return line;
      if (fields[0] === 'smtp' && fields[1] === 'inet') fields[0] = `127.0.0.1:${port}`;
      fields[4] = 'n';
      return fields.join(' ');
    })
    .join('\n');
  writeFileSync(join(conf, 'master.cf'), master);
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
      '',
    ].join('\n'),
  );
  spawnSync('/usr/lib/postfix/sbin/post-install', [`config_directory=${conf}`, 'meta_directory=/etc/postfix', 'create-missing'], { stdio: 'ignore' });
  const child: ChildProcess = spawn(MASTER, ['-c', conf, '-d'], { stdio: 'ignore' });
  await waitForPort(port, child, 30_000);
  return {
    port,
    log: () => (existsSync(join(dir, 'maillog')) ? readFileSync(join(dir, 'maillog'), 'utf8') : ''),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
