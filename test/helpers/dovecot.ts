/**
 * A private Dovecot instance that does nothing but SASL: Debian's dovecot-core, its master in
 * the foreground on a configuration of its own (a temporary folder: run, state, log, a
 * passwd-file of test accounts), the auth service listening on a free loopback port for
 * Postfix's `smtpd_sasl_type = dovecot`. No mail protocols, no system configuration touched.
 * `.ci/run` installs the package; where it is absent the tests that need it are skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain ES module of the build scripts, without types.
import { freePort, stopper, waitForPort } from '../../scripts/spam-engines.js';

const DOVECOT = '/usr/sbin/dovecot';
export const hasDovecot = process.getuid?.() === 0 && existsSync(DOVECOT);

export interface RunningDovecotAuth {
  /** The auth service's port on 127.0.0.1 (`smtpd_sasl_path = inet:127.0.0.1:<port>`). */
  port: number;
  log(): string;
  stop(): Promise<void>;
}

/** Accounts as address → password; the passwords are test values, stored in clear for Dovecot's PLAIN scheme. */
export async function startDovecotAuth(accounts: Record<string, string>): Promise<RunningDovecotAuth> {
  const dir = mkdtempSync('/tmp/presend-dovecot-');
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state']) mkdirSync(join(dir, sub));
  // Dovecot's auth worker reads the file as its own unprivileged user.
  writeFileSync(join(dir, 'users'), Object.entries(accounts).map(([user, password]) => `${user}:{PLAIN}${password}\n`).join(''), { mode: 0o644 });
  const port = await freePort();
  writeFileSync(
    join(dir, 'dovecot.conf'),
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      'protocols =',
      'listen = 127.0.0.1',
      'ssl = no',
      'auth_mechanisms = plain login',
      // Postfix, not Dovecot, holds the TLS here (smtpd_tls_auth_only): Dovecot sees only its own loopback socket.
      'disable_plaintext_auth = no',
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/users\n}`,
      `userdb {\n  driver = static\n  args = uid=65534 gid=65534 home=${dir}\n}`,
      `service auth {\n  inet_listener {\n    address = 127.0.0.1\n    port = ${port}\n  }\n}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  await waitForPort(port, child, 30_000);
  return {
    port,
    log: () => (existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : ''),
    stop: stopper(child, dir) as () => Promise<void>,
  };
}
