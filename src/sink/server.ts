/**
 * `presend sink`: a real SMTP server (smtp-server, from the nodemailer project) that
 * answers like the provider — its inbound MX or its submission server — at every stage
 * of the conversation, with the profile's exact reply text. At the end of DATA it runs
 * the same checks and profile `presend eml` runs, with this connection's HELO, envelope
 * and client IP, and the first error-level finding with a reply becomes the reply.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerAddress, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import { checkTarget, type Session } from '../engine/session.js';
import { emlInputs } from '../engine/inputs.js';
import type { Finding, Report } from '../engine/types.js';
import { domainOf } from '../message/address.js';
import { messageFacts } from '../message/read.js';
import type { DialogueStage } from '../profile/schema.js';
import { SinkCounters } from './counters.js';
import { Dialogue, splitReply, type Refusal, type SinkRole } from './dialogue.js';

export interface SinkAccount {
  user: string;
  password: string;
}

export interface SinkOptions {
  session: Session;
  role: SinkRole;
  host: string;
  port: number;
  accounts: SinkAccount[];
  /** The address checks treat as the client's (a loopback test stands in for a real server). */
  clientIp?: string;
  /** Known mailboxes: any other recipient is unknown (none given: every recipient exists). */
  mailboxes?: Set<string>;
  /** List states the provider would hold: IPs it refuses or has suspended, senders it refuses, suspended mailboxes. */
  deniedIps?: Set<string>;
  suspendedIps?: Set<string>;
  deniedSenders?: Set<string>;
  suspendedMailboxes?: Set<string>;
  /** Allow-lists the provider would hold for the recipients: any other client IP or sender is refused. */
  allowedIps?: Set<string>;
  allowedSenders?: Set<string>;
  /** Accounts that log in but may not send: locked, or with SMTP turned off in the mailbox settings. */
  lockedAccounts?: Set<string>;
  smtpDisabledAccounts?: Set<string>;
  /** Accept everything, and only report what would have been refused. */
  accept: boolean;
  /** Where each transaction's NDJSON line goes. */
  log: (line: string) => void;
  /** A folder to keep each message (.eml) beside its report (.json). */
  store?: string;
  idleTimeoutMs?: number;
  limitOverrides?: Record<string, number>;
  /** The certificate and key STARTTLS offers (PEM); without them smtp-server's built-in self-signed one, which no client can verify. */
  tls?: { key: string; cert: string };
}

export interface RunningSink {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** The SMTP verbs smtp-server implements; anything else is an unknown command. */
const KNOWN_COMMANDS = new Set(['HELO', 'EHLO', 'LHLO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'NOOP', 'QUIT', 'VRFY', 'HELP', 'AUTH', 'STARTTLS', 'XCLIENT', 'XFORWARD', 'BDAT']);

interface Reply {
  command: string;
  reply: string;
  stage?: DialogueStage;
  /** Under --accept: what would have been refused. */
  wouldRefuse?: string;
}

interface Transaction {
  id: string;
  mailFrom: string | null;
  rcpt: string[];
  replies: Reply[];
}

interface ConnectionState {
  id: string;
  clientIp: string;
  remoteAddress: string;
  helo: string | null;
  user: string | null;
  commands: number;
  badCommands: number;
  messages: number;
  recipients: number;
  /** Senders this connection has counted once toward their connections today. */
  senders: Set<string>;
  transaction: Transaction;
  /** Replies outside a transaction (greeting refusals, HELO, AUTH), logged with the next transaction. */
  pending: Reply[];
}

/** The parts of smtp-server's connection the sink intercepts (no hook exists for HELO or unknown commands). */
interface SmtpConnection {
  id: string;
  session: SMTPServerSession;
  send(code: number, text: string | string[]): void;
  close(): void;
  _onCommand(command: Buffer, callback?: () => void): void;
}

type HookError = Error & { responseCode?: number };

/** A profile with no size limit still has one here: what the sink holds of one message. */
const MAX_KEPT_MESSAGE = 64 * 1024 * 1024;
const smtpError = (status: number, text: string): HookError => Object.assign(new Error(text), { responseCode: status });

export async function startSink(options: SinkOptions): Promise<RunningSink> {
  const { session, role } = options;
  const dialogue = new Dialogue(session.profile, role, options.limitOverrides);
  const counters = new SinkCounters(session.profile.limits['window-seconds']?.value ?? 60);
  // A profile that gives no words for an accepted message gets smtp-server's own.
  const acceptedReply = (id: string) => (session.profile.accepted ?? '250 OK: message queued').replace('{id}', id);
  const states = new Map<string, ConnectionState>();
  const maxSize = dialogue.limit('message-too-large');
  if (options.store) mkdirSync(options.store, { recursive: true });

  const newTransaction = (): Transaction => ({ id: randomUUID(), mailFrom: null, rcpt: [], replies: [] });

  const writeLog = (state: ConnectionState, extra: Record<string, unknown> = {}) => {
    const t = state.transaction;
    if (t.replies.length === 0 && state.pending.length === 0 && Object.keys(extra).length === 0) return;
    options.log(
      JSON.stringify({
        time: new Date().toISOString(),
        connection: state.id,
        transaction: t.id,
        role,
        clientIp: state.clientIp,
        helo: state.helo,
        user: state.user,
        mailFrom: t.mailFrom,
        rcpt: t.rcpt,
        replies: [...state.pending, ...t.replies],
        ...extra,
      }) + '\n',
    );
    state.pending = [];
    state.transaction = newTransaction();
  };

  /**
   * A stage's refusal, logged. Under --accept the conversation goes on and the log says
   * what would have been refused; a stage this provider gives no reply at goes on too.
   */
  const refuse = (state: ConnectionState, where: Reply[], command: string, stage: DialogueStage): Refusal | null => {
    const refusal = dialogue.refusal(stage);
    if (!refusal) return null;
    if (options.accept) {
      where.push({ command, reply: 'accepted (--accept)', stage, wouldRefuse: refusal.code });
      return null;
    }
    where.push({ command, reply: refusal.code, stage });
    return refusal;
  };

  const server: SMTPServer = new SMTPServer({
    name: 'presend-sink',
    banner: `presend sink (${session.profile.label.en} ${role})`,
    // No DNS leaves the sink for the client's name; the checks use presend's own resolver.
    disableReverseLookup: true,
    // STARTTLS with the certificate given, else smtp-server's built-in self-signed one.
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    authOptional: role === 'mx',
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    size: Number.isFinite(maxSize) ? maxSize : 0,
    socketTimeout: options.idleTimeoutMs ?? 60_000,
    closeTimeout: 5_000,
    maxClients: 1_000,
    logger: false,

    onConnect(smtpSession, callback) {
      const connection = [...(server as unknown as { connections: Set<SmtpConnection> }).connections].find((c) => c.session === smtpSession || c.id === smtpSession.id);
      const remoteAddress = smtpSession.remoteAddress;
      const clientIp = options.clientIp ?? remoteAddress;
      const state: ConnectionState = { id: smtpSession.id, clientIp, remoteAddress, helo: null, user: null, commands: 0, badCommands: 0, messages: 0, recipients: 0, senders: new Set(), transaction: newTransaction(), pending: [] };
      states.set(smtpSession.id, state);
      const open = counters.connect(clientIp);
      if (connection) interceptCommands(connection, state);
      const now = Date.now();
      const refusal =
        (options.deniedIps?.has(clientIp) ? refuse(state, state.pending, 'connect', 'ip-denied') : null) ??
        (options.suspendedIps?.has(clientIp) ? refuse(state, state.pending, 'connect', 'ip-suspended') : null) ??
        (options.allowedIps && !options.allowedIps.has(clientIp) ? refuse(state, state.pending, 'connect', 'ip-not-allowed') : null) ??
        (open >= dialogue.limit('too-many-connections') ? refuse(state, state.pending, 'connect', 'too-many-connections') : null) ??
        (counters.messagesByIpToday.count(clientIp, now) >= dialogue.limit('too-many-messages-from-ip-today') ? refuse(state, state.pending, 'connect', 'too-many-messages-from-ip-today') : null) ??
        (counters.messagesByIp.count(clientIp, now) >= dialogue.limit('too-many-messages-from-ip') ? refuse(state, state.pending, 'connect', 'too-many-messages-from-ip') : null);
      if (refusal) {
        writeLog(state);
        return callback(smtpError(refusal.status, refusal.text));
      }
      callback();
    },

    onAuth(auth: SMTPServerAuthentication, smtpSession, callback) {
      const state = states.get(smtpSession.id)!;
      const user = String(auth.username ?? '').toLowerCase();
      const account = options.accounts.find((a) => a.user.toLowerCase() === user);
      if (account && auth.password === account.password) {
        const blocked = options.lockedAccounts?.has(user) ? refuse(state, state.pending, `AUTH ${auth.method}`, 'account-locked') : options.smtpDisabledAccounts?.has(user) ? refuse(state, state.pending, `AUTH ${auth.method}`, 'smtp-disabled') : null;
        if (blocked) return callback(smtpError(blocked.status, blocked.text));
        state.user = user;
        state.pending.push({ command: `AUTH ${auth.method}`, reply: '235 Authentication successful' });
        return callback(null, { user: state.user });
      }
      const now = Date.now();
      counters.authFailuresByIp.add(state.clientIp, now);
      counters.authFailuresByAccount.add(user, now);
      // The IP's failures ban the IP; one account's failures lock that account's logins for a while.
      const stage: DialogueStage =
        counters.authFailuresByIp.count(state.clientIp, now) >= dialogue.limit('too-many-auth-failures')
          ? 'too-many-auth-failures'
          : counters.authFailuresByAccount.count(user, now) >= dialogue.limit('too-many-account-auth-failures')
            ? 'too-many-account-auth-failures'
            : 'auth-failed';
      const refusal = refuse(state, state.pending, `AUTH ${auth.method}`, stage);
      if (!refusal) {
        state.user = user;
        return callback(null, { user: state.user });
      }
      callback(smtpError(refusal.status, refusal.text));
    },

    onMailFrom(address: SMTPServerAddress, smtpSession, callback) {
      const state = states.get(smtpSession.id)!;
      const t = state.transaction;
      const sender = address.address.toLowerCase();
      t.mailFrom = sender;
      const command = `MAIL FROM:<${sender}>`;
      const domain = domainOf(sender);
      const now = Date.now();
      if (sender && !state.senders.has(sender)) {
        state.senders.add(sender);
        counters.connectionsBySender.add(sender, now);
      }
      const stage: DialogueStage | null =
        options.deniedSenders?.has(sender)
          ? 'sender-denied'
          : options.allowedSenders && !options.allowedSenders.has(sender)
          ? 'sender-not-allowed'
          : state.messages >= dialogue.limit('too-many-messages-in-connection')
          ? 'too-many-messages-in-connection'
          : sender === ''
            ? 'null-sender'
            : role === 'submission' && !dialogue.isProviderDomain(domain)
              ? 'sender-not-local'
              : role === 'submission' && state.user !== null && sender !== state.user
                ? 'sender-not-account'
                : role === 'mx' && dialogue.isProviderDomain(domain)
                  ? 'local-sender-from-outside'
                  : counters.messagesBySender.count(sender, now) >= dialogue.limit('too-many-messages-today')
                    ? 'too-many-messages-today'
                    : counters.messagesBySenderShort.count(sender, now) >= dialogue.limit('too-many-messages-short-term')
                      ? 'too-many-messages-short-term'
                      : counters.connectionsBySender.count(sender, now) > dialogue.limit('too-many-connections-today')
                        ? 'too-many-connections-today'
                        : null;
      const refusal = stage ? refuse(state, t.replies, command, stage) : null;
      if (refusal) return callback(smtpError(refusal.status, refusal.text));
      t.replies.push({ command, reply: '250 Accepted' });
      callback();
    },

    onRcptTo(address: SMTPServerAddress, smtpSession, callback) {
      const state = states.get(smtpSession.id)!;
      const t = state.transaction;
      const recipient = address.address.toLowerCase();
      const command = `RCPT TO:<${recipient}>`;
      const now = Date.now();
      const unknown = options.mailboxes !== undefined && options.mailboxes.size > 0 && !options.mailboxes.has(recipient);
      if (unknown) counters.unknownRecipientsByIp.add(state.clientIp, now);
      const stage: DialogueStage | null =
        role === 'mx' && !dialogue.isProviderDomain(domainOf(recipient))
          ? 'relay-denied'
          : options.suspendedMailboxes?.has(recipient)
            ? 'recipient-suspended'
          : unknown
            ? counters.unknownRecipientsByIp.count(state.clientIp, now) >= dialogue.limit('too-many-unknown-recipients')
              ? 'too-many-unknown-recipients'
              : 'unknown-recipient'
            : t.rcpt.length >= dialogue.limit('too-many-recipients')
              ? 'too-many-recipients'
              : state.recipients >= dialogue.limit('too-many-recipients-in-connection')
                ? 'too-many-recipients-in-connection'
                : t.mailFrom && counters.recipientsBySender.count(t.mailFrom, now) >= dialogue.limit('too-many-recipients-today')
                  ? 'too-many-recipients-today'
                  : t.mailFrom && counters.recipientsBySenderShort.count(t.mailFrom, now) >= dialogue.limit('too-many-recipients-short-term')
                    ? 'too-many-recipients-short-term'
                    : null;
      const refusal = stage ? refuse(state, t.replies, command, stage) : null;
      if (refusal) return callback(smtpError(refusal.status, refusal.text));
      t.rcpt.push(recipient);
      state.recipients++;
      if (t.mailFrom) {
        counters.recipientsBySender.add(t.mailFrom, now);
        counters.recipientsBySenderShort.add(t.mailFrom, now);
      }
      t.replies.push({ command, reply: '250 Accepted' });
      callback();
    },

    onData(stream: Readable, smtpSession, callback) {
      const state = states.get(smtpSession.id)!;
      // The log line receive() writes starts the next transaction: the reply names this one.
      const { id } = state.transaction;
      void receive(stream, state).then(
        (refusal) => callback(refusal ? smtpError(refusal.status, refusal.text) : null, refusal ? undefined : acceptedReply(id).slice('250 '.length)),
        (err: unknown) => {
          const refusal = dialogue.refusal('local-error');
          callback(smtpError(refusal?.status ?? 451, refusal?.text ?? (err instanceof Error ? err.message : String(err))));
        },
      );
    },

    onClose(smtpSession) {
      const state = states.get(smtpSession.id);
      if (!state) return;
      writeLog(state);
      counters.disconnect(state.clientIp);
      states.delete(smtpSession.id);
    },
  });
  server.on('error', () => undefined);

  /** Reads the message (bounded by the size limit), runs the checks, and says how DATA ends. */
  async function receive(stream: Readable, state: ConnectionState): Promise<{ status: number; text: string } | null> {
    const t = state.transaction;
    // Kept up to the size limit only: past it the rest is read and dropped, so a client sending forever costs no memory.
    const keep = Number.isFinite(maxSize) ? maxSize : MAX_KEPT_MESSAGE;
    const chunks: Buffer[] = [];
    let kept = 0;
    for await (const chunk of stream) {
      if (kept >= keep) continue;
      chunks.push(chunk as Buffer);
      kept += (chunk as Buffer).length;
    }
    const raw = Buffer.concat(chunks);
    const now = Date.now();
    state.messages++;
    counters.messagesByIp.add(state.clientIp, now);
    counters.messagesByIpToday.add(state.clientIp, now);
    if (t.mailFrom) {
      counters.messagesBySender.add(t.mailFrom, now);
      counters.messagesBySenderShort.add(t.mailFrom, now);
    }
    if ((stream as Readable & { sizeExceeded?: boolean }).sizeExceeded) {
      const refusal = refuse(state, t.replies, 'DATA', 'message-too-large');
      if (refusal) {
        writeLog(state, { size: raw.length });
        return refusal;
      }
    }
    let report: Report;
    try {
      const facts = await messageFacts(`sink:${t.id}`, raw);
      const inputs = emlInputs(facts, {
        ip: isIP(state.clientIp) ? state.clientIp : undefined,
        helo: state.helo ?? undefined,
        mailFrom: t.mailFrom ?? '',
        rcpt: t.rcpt,
        offline: session.options.offline,
        ...(role === 'submission' && state.user ? { account: state.user } : {}),
      });
      report = await checkTarget(session, inputs);
    } catch (err) {
      // A message presend cannot check is the sink's own failure: the provider's "local error", never a verdict.
      const refusal = refuse(state, t.replies, 'DATA', 'local-error');
      writeLog(state, { error: err instanceof Error ? err.message : String(err) });
      return refusal;
    }
    const first = report.findings.find((f): f is Finding & { code: string } => f.severity === 'error' && f.code !== null);
    const stored = options.store ? store(options.store, t.id, raw, report) : undefined;
    if (first && !options.accept) {
      t.replies.push({ command: 'DATA', reply: first.code });
      writeLog(state, { verdict: report.verdict, findings: findingsOf(report), ...(stored ? { stored } : {}) });
      return splitReply(first.code);
    }
    t.replies.push({ command: 'DATA', reply: acceptedReply(t.id), ...(first ? { wouldRefuse: first.code } : {}) });
    writeLog(state, { verdict: report.verdict, findings: findingsOf(report), ...(stored ? { stored } : {}) });
    return null;
  }

  /**
   * smtp-server answers an empty HELO, an unknown verb and MAIL before AUTH itself, with
   * its own words; the provider's replies are put in front of it here, per connection.
   */
  function interceptCommands(connection: SmtpConnection, state: ConnectionState): void {
    const original = connection._onCommand.bind(connection);
    connection._onCommand = (command: Buffer, callback?: () => void) => {
      const line = (command ?? Buffer.alloc(0)).toString();
      const verb = line.split(' ')[0]!.toUpperCase();
      const done = () => callback?.();
      state.commands++;
      const answer = (refusal: Refusal, closeAfter = false) => {
        connection.send(refusal.status, refusal.text);
        if (closeAfter) connection.close();
        setImmediate(done);
      };
      const tooMany = state.commands > dialogue.limit('too-many-commands') ? refuse(state, state.pending, verb, 'too-many-commands') : null;
      if (tooMany) return answer(tooMany, true);
      if ((verb === 'HELO' || verb === 'EHLO') && line.trim().split(/\s+/).length < 2) {
        state.badCommands++;
        const refusal = refuse(state, state.pending, line.trim(), 'empty-helo');
        if (refusal) return answer(refusal);
      }
      if (verb && !KNOWN_COMMANDS.has(verb)) {
        state.badCommands++;
        const over = state.badCommands >= dialogue.limit('too-many-bad-commands');
        const refusal = refuse(state, state.pending, verb, over ? 'too-many-bad-commands' : 'unknown-command');
        if (refusal) return answer(refusal, over);
      }
      if (role === 'submission' && !connection.session.user && (verb === 'MAIL' || verb === 'RCPT' || verb === 'DATA')) {
        const refusal = refuse(state, state.pending, verb, 'auth-required');
        if (refusal) return answer(refusal);
      }
      if (verb === 'HELO' || verb === 'EHLO') state.helo = line.trim().split(/\s+/)[1] ?? '';
      if (verb === 'RSET') writeLog(state);
      original(command, callback);
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = (server as unknown as { server: { address(): { port: number } } }).server.address();
  return {
    host: options.host,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const state of states.values()) writeLog(state);
        server.close(() => resolve());
      }),
  };
}

function findingsOf(report: Report) {
  return report.findings.map((f) => ({ rule: f.rule, severity: f.severity, code: f.code, message: f.message }));
}

/** The message and its report side by side, named by the transaction. */
function store(dir: string, id: string, raw: Buffer, report: Report): string {
  const base = join(dir, id);
  writeFileSync(`${base}.eml`, raw);
  writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  return `${base}.eml`;
}
