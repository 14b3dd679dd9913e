/**
 * Real spam filters on loopback for the tests and bench:content: Debian's rspamd and SpamAssassin's spamd,
 * started with network checks off, on free ports, and stopped after the file. `.ci/run`
 * installs them with apt; where a binary is missing the tests that need it are skipped and
 * the benchmark leaves the engine out.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasBinary = (name) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

/** A port free on 127.0.0.1 right now (the tests' servers bind it next). */
export async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Waits until something listens on 127.0.0.1:port, or the child that should has exited, or the deadline passed. */
export async function waitForPort(port, child, deadlineMs) {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${child.spawnfile} exited (${child.exitCode}) before listening`);
    const open = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() - started > deadlineMs) throw new Error(`nothing listened on ${port} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** @typedef {{ address: string, stop(): Promise<void> }} RunningEngine */

/** Stops a server the tests started (SIGTERM, SIGKILL after 5 s) and removes its folder. */
export function stopper(child, dir) {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
}

const asRoot = process.getuid?.() === 0;

/** rspamd's normal worker on a free port; DNS pointed at a closed port, network modules off, no Redis. */
/** @returns {Promise<RunningEngine>} */
export async function startRspamd() {
  const dir = mkdtempSync(join(tmpdir(), 'presend-rspamd-'));
  const local = join(dir, 'conf', 'local.d');
  for (const sub of ['db', 'run', 'log']) mkdirSync(join(dir, sub));
  mkdirSync(local, { recursive: true });
  const [port, controller] = [await freePort(), await freePort()];
  writeFileSync(join(local, 'worker-normal.inc'), `bind_socket = "127.0.0.1:${port}";\ncount = 1;\n`);
  writeFileSync(join(local, 'worker-controller.inc'), `bind_socket = "127.0.0.1:${controller}";\ncount = 1;\n`);
  writeFileSync(join(local, 'worker-proxy.inc'), 'enabled = false;\n');
  writeFileSync(join(local, 'logging.inc'), 'type = "console";\nlevel = "error";\n');
  writeFileSync(join(local, 'options.inc'), 'dns {\n  nameserver = ["127.0.0.1:9"];\n  timeout = 0.2s;\n  retransmits = 0;\n}\n');
  // Every module that asks DNS or the network: with them on, each message waits on lookups that cannot succeed here.
  for (const module of ['rbl', 'fuzzy_check', 'dkim', 'spf', 'dmarc', 'asn', 'neural', 'emails', 'phishing', 'url_redirector', 'hfilter', 'mx_check', 'dkim_signing', 'arc', 'reputation', 'replies', 'greylist', 'ratelimit']) writeFileSync(join(local, `${module}.conf`), 'enabled = false;\n');
  const vars = ['LOCAL_CONFDIR=conf', 'DBDIR=db', 'RUNDIR=run', 'LOGDIR=log'].map((v) => `--var=${v.replace('=', `=${dir}/`)}`);
  const child = spawn('rspamd', ['-f', '-i', ...(asRoot ? ['-u', 'root', '-g', 'root'] : []), ...vars], { stdio: 'ignore' });
  await waitForPort(port, child, 60_000);
  return { address: `http://127.0.0.1:${port}`, stop: stopper(child, dir) };
}

/** spamd with local tests only (no DNS, no Razor or Pyzor), on a free port. */
/** @returns {Promise<RunningEngine>} */
export async function startSpamd() {
  const dir = mkdtempSync(join(tmpdir(), 'presend-spamd-'));
  const port = await freePort();
  const child = spawn(
    'spamd',
    ['--local', `--listen=127.0.0.1:${port}`, `--pidfile=${join(dir, 'spamd.pid')}`, '--max-children=4', '--nouser-config', '--syslog=stderr', ...(asRoot ? ['--username=nobody'] : [])],
    { stdio: 'ignore' },
  );
  await waitForPort(port, child, 60_000);
  return { address: `127.0.0.1:${port}`, stop: stopper(child, dir) };
}
