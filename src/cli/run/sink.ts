/** `presend sink`: an SMTP server answering as the provider, every message checked. */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { isIP, isLoopbackAddress } from '../../ip.js';
import { UsageError } from '../../errors.js';
import { fileLimits, readTextFile } from '../../files.js';
import { parseCount, parseSize } from '../../engine/inputs.js';
import { createSharedSession } from '../../engine/shared-session.js';
import { dialogueStages } from '../../profile/schema.js';
import { startSink, type SinkRecord } from '../../sink/server.js';
import type { Lang } from '../../engine/types.js';
import type { Profile } from '../../profile/load.js';
import type { SinkFlags } from '../sink.js';
import { settingsFromFlags } from './settings.js';

const lowerSet = (values: string[]) => new Set(values.map((v) => v.toLowerCase()));

/** `host:port` (port 0: any free one), `[v6]:port`. */
export function parseListen(spec: string, flag = '--listen'): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(spec.trim());
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (!m || !host || !isIP(host) || !Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${flag} ${spec}: expected ip:port (port 0 picks a free one), e.g. ${flag === '--ui' ? '127.0.0.1:8025' : '127.0.0.1:2525'}`);
  return { host, port };
}

export async function runSink(flags: SinkFlags): Promise<void> {
  const listen = parseListen(flags.listen);
  const settings = await settingsFromFlags({ ...flags, format: 'text' });
  // Flags first, then the config's `sink` section.
  const config = settings.sink ?? {};
  const role = flags.role ?? config.role ?? 'mx';
  const clientIp = flags.clientIp ?? config.clientIp;
  if (clientIp !== undefined && !isIP(clientIp)) throw new UsageError(`--client-ip ${clientIp}: not an IPv4 or IPv6 address`);
  const users = flags.user ?? config.users?.map((u) => u.user) ?? [];
  const passwords = flags.password ?? (flags.user === undefined ? config.users?.map((u) => u.password) : undefined) ?? (users.length === 1 && process.env.PRESEND_SINK_PASSWORD ? [process.env.PRESEND_SINK_PASSWORD] : []);
  if (users.length !== passwords.length) throw new UsageError('sink: give one --password for each --user (or PRESEND_SINK_PASSWORD for a single user)');
  if (role === 'submission' && users.length === 0) throw new UsageError('sink --role submission: give at least one --user and its --password');
  const mailboxes = flags.mailbox ?? config.mailboxes;
  // A sink sees the same senders again and again: their DNS is asked once a minute at most,
  // and what rests only on their envelope and DNS (SPF, blocklists, PTR) is checked once meanwhile.
  const session = createSharedSession(settings.session, { observations: true });
  if (session.profiles.length > 1) throw new UsageError(`sink --provider ${flags.provider ?? ''}: a sink answers as one provider; start one sink per provider`);
  // A stage the provider documents no reply for is not invented: the sink says so and lets it pass.
  const unsimulated = dialogueStages.filter((stage) => !session.profile.dialogue[stage]);
  if (unsimulated.length > 0) process.stderr.write(`presend sink: ${session.profile.label.en} documents no reply for ${unsimulated.join(', ')}; the sink cannot simulate those and lets them pass\n`);
  const limitOverrides = Object.fromEntries(
    (flags.limit ?? []).map((spec) => {
      const m = /^([a-z0-9-]+)=(\d+)$/.exec(spec.trim());
      if (!m || !session.profile.limits[m[1]!]) throw new UsageError(`--limit ${spec}: expected name=number with a limit of the profile (${Object.keys(session.profile.limits).join(', ')})`);
      return [m[1]!, Number(m[2])];
    }),
  );
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) throw new UsageError('sink: give --tls-cert and --tls-key together');
  const tls = flags.tlsCert && flags.tlsKey ? { cert: readTextFile(flags.tlsCert, `--tls-cert ${flags.tlsCert}`, fileLimits.certificates), key: readTextFile(flags.tlsKey, `--tls-key ${flags.tlsKey}`, fileLimits.certificates) } : undefined;
  const log = await openLog(flags.log);
  const ui = flags.ui !== undefined ? await openUi(flags.ui === true ? '127.0.0.1:8025' : flags.ui, session.profile, settings.lang) : undefined;
  const sink = await startSink({
    ...(ui ? { onTransaction: (record: SinkRecord) => void ui.ring.add(record) } : {}),
    session,
    role,
    host: listen.host,
    port: listen.port,
    accounts: users.map((user, i) => ({ user, password: passwords[i]! })),
    ...(clientIp ? { clientIp } : {}),
    ...(mailboxes ? { mailboxes: lowerSet(mailboxes) } : {}),
    ...(flags.denyIp ? { deniedIps: new Set(flags.denyIp) } : {}),
    ...(flags.suspendIp ? { suspendedIps: new Set(flags.suspendIp) } : {}),
    ...(flags.denySender ? { deniedSenders: lowerSet(flags.denySender) } : {}),
    ...(flags.suspended ? { suspendedMailboxes: lowerSet(flags.suspended) } : {}),
    ...(flags.allowIp ? { allowedIps: new Set(flags.allowIp) } : {}),
    ...(flags.allowSender ? { allowedSenders: lowerSet(flags.allowSender) } : {}),
    ...(flags.locked ? { lockedAccounts: lowerSet(flags.locked) } : {}),
    ...(flags.smtpDisabled ? { smtpDisabledAccounts: lowerSet(flags.smtpDisabled) } : {}),
    accept: flags.accept ?? false,
    log: log.write,
    ...(flags.store ? { store: flags.store } : {}),
    idleTimeoutMs: parseCount(flags.idleTimeout, '--idle-timeout'),
    bounds: {
      commandMs: parseCount(flags.commandTimeout, '--command-timeout'),
      dataMs: parseCount(flags.dataTimeout, '--data-timeout'),
      heldBytes: parseSize(flags.maxHeld, '--max-held'),
      storeBytes: parseSize(flags.storeMax, '--store-max'),
    },
    limitOverrides,
    ...(tls ? { tls } : {}),
  }).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`--listen ${flags.listen}: cannot listen (${err.code ?? err.message})`);
  });
  const shown = sink.host.includes(':') ? `[${sink.host}]` : sink.host;
  process.stdout.write(`presend sink listening on ${shown}:${sink.port}\n`);
  // Stop on a signal, or when the log cannot be written: connections end, every open
  // transaction is logged, the log is flushed. A log lost is never silent: one line, exit 1.
  const failure = await new Promise<string | null>((resolve) => {
    const stop = () => resolve(null);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    log.failed.then(resolve, resolve);
  });
  if (failure) process.stderr.write(`presend sink: ${failure}; stopping\n`);
  await sink.close();
  await ui?.server.close();
  await log.end();
  process.exitCode = failure ? 1 : 0;
  if (failure) process.exit(1);
}

/**
 * `--ui [host:port]`: the web UI beside the sink, loaded only when asked for. Anywhere but
 * loopback it says on stderr that it has no login: whoever reaches the port reads the mail.
 */
async function openUi(spec: string, profile: Profile, lang: Lang) {
  const where = parseListen(spec, '--ui');
  const [{ MessageRing }, { startUi }] = await Promise.all([import('../../sink/ui/ring.js'), import('../../sink/ui/http.js')]);
  const ring = new MessageRing();
  const server = await startUi({ ...where, ring, providers: [{ provider: profile.provider, label: profile.label[lang] }], lang }).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`--ui ${spec}: cannot listen (${err.code ?? err.message})`);
  });
  process.stderr.write(`presend sink ui on ${server.url}\n`);
  if (!isLoopbackAddress(where.host)) process.stderr.write(`presend sink: the UI on ${server.url} has no login: anyone who can reach it reads every message the sink receives\n`);
  return { ring, server };
}

interface SinkLog {
  write(line: string): void;
  /** Settles with the reason once a line cannot be written (a full disk, a reader gone). */
  failed: Promise<string>;
  end(): Promise<void>;
}

/** The NDJSON log: appended to --log, else standard output. */
async function openLog(path: string | undefined): Promise<SinkLog> {
  const stream: Writable = path ? createWriteStream(path, { flags: 'a', mode: 0o600 }) : process.stdout;
  if (path) {
    await new Promise<void>((resolve, reject) => {
      (stream as WriteStream).once('open', () => resolve());
      (stream as WriteStream).once('error', (err: NodeJS.ErrnoException) => reject(new UsageError(`--log ${path}: cannot write (${err.code ?? err.message})`)));
    });
  }
  const failed = new Promise<string>((resolve) => {
    stream.once('error', (err: NodeJS.ErrnoException) => resolve(`the log ${path ? `--log ${path}` : 'on standard output'} cannot be written (${err.code ?? err.message})`));
  });
  return {
    write: (line) => void stream.write(line),
    failed,
    end: () => (path ? new Promise<void>((resolve) => (stream as WriteStream).end(resolve)) : Promise.resolve()),
  };
}
