/**
 * `presend sink`: a real SMTP server (smtp-server, from the nodemailer project) that
 * answers like the provider — its inbound MX or its submission server — at every stage
 * of the conversation, with the profile's exact reply text. At the end of DATA it runs
 * the same checks and profile `presend eml` runs, with this connection's HELO, envelope
 * and client IP, and the first error-level finding with a reply becomes the reply.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SMTPServer, type SMTPServerAddress, type SMTPServerAuthentication } from 'smtp-server';
import { checkTarget, type Session } from '../engine/session.js';
import { emlInputs } from '../engine/inputs.js';
import type { Finding, Report } from '../engine/types.js';
import { domainOf } from '../message/address.js';
import { messageFacts } from '../message/read.js';
import { safeJson } from '../report/safe-text.js';
import type { DialogueStage } from '../profile/schema.js';
import { SinkCounters } from './counters.js';
import { MessageBytes } from './message-bytes.js';
import { Dialogue, splitReply, type Refusal, type SinkRole } from './dialogue.js';
import { boundPort, connectionOf, interceptCommands, type LineVerdict, type SmtpConnection } from './smtp-server-adapter.js';
import { SINK_BOUNDS, type SinkBounds } from './bounds.js';

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
  /** The sink's own bounds (bounds.ts); any not given keeps its default. */
  bounds?: Partial<SinkBounds>;
  /** Called with each transaction as it is logged, with the message and its report when DATA was read (the UI's feed). */
  onTransaction?: (record: SinkRecord) => void;
}

/** One logged transaction, as the log line has it, with what the line leaves out. */
export interface SinkRecord {
  line: Record<string, unknown>;
  raw?: readonly Buffer[];
  report?: Report;
}

export interface RunningSink {
  host: string;
  port: number;
  close(): Promise<void>;
}

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
  /** Replies past what one log line holds (SinkBounds.loggedReplies), counted instead. */
  repliesNotLogged: number;
  /** MAIL said SMTPUTF8 (RFC 6531): UTF-8 addresses and headers are allowed in this transaction. */
  smtputf8: boolean;
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
  connection: SmtpConnection | undefined;
  /** The time by which the command (or the DATA) under way must be whole. */
  deadline: NodeJS.Timeout | null;
  inData: boolean;
  closed: boolean;
}

type HookError = Error & { responseCode?: number };

/** A reply of the sink's own, where the profile documents none and passing the command on would be wrong: said to be the sink's. */
const ownReply = (status: number, enhanced: string, text: string): Refusal => ({ stage: 'local-error', code: `${status} ${enhanced} presend sink: ${text}`, status, text: `${enhanced} presend sink: ${text}` });
const smtpError = (status: number, text: string): HookError => Object.assign(new Error(text), { responseCode: status });

export async function startSink(options: SinkOptions): Promise<RunningSink> {
  const { session, role } = options;
  const bounds: SinkBounds = { ...SINK_BOUNDS, ...options.bounds };
  const dialogue = new Dialogue(session.profile, role, options.limitOverrides);
  const counters = new SinkCounters(session.profile.limits['window-seconds']?.value ?? 60);
  // A profile that gives no words for an accepted message gets smtp-server's own.
  const acceptedReply = (id: string) => (session.profile.accepted ?? '250 OK: message queued').replace('{id}', id);
  const states = new Map<string, ConnectionState>();
  const maxSize = dialogue.limit('message-too-large');
  const store = options.store ? new MessageStore(options.store, bounds.storeBytes) : undefined;
  /** Message bytes held right now across every connection in DATA (bounds.heldBytes). */
  let held = 0;
  /** The queue of large messages' checks: each waits for the one before it. */
  let largeChecks: Promise<unknown> = Promise.resolve();

  const newTransaction = (): Transaction => ({ id: randomUUID(), mailFrom: null, rcpt: [], replies: [], repliesNotLogged: 0, smtputf8: false });

  /** A reply noted for the log: one line holds at most bounds.loggedReplies of them, the rest are counted. */
  const note = (state: ConnectionState, where: Reply[], reply: Reply) => {
    if (state.pending.length + state.transaction.replies.length < bounds.loggedReplies) where.push(reply);
    else state.transaction.repliesNotLogged++;
  };

  const writeLog = (state: ConnectionState, extra: Record<string, unknown> = {}, message?: { raw: readonly Buffer[]; report: Report }) => {
    const t = state.transaction;
    if (t.replies.length === 0 && state.pending.length === 0 && t.repliesNotLogged === 0 && Object.keys(extra).length === 0) return;
    const line = {
      time: new Date().toISOString(),
      connection: state.id,
      transaction: t.id,
      role,
      clientIp: state.clientIp,
      helo: state.helo,
      user: state.user,
      mailFrom: t.mailFrom,
      rcpt: t.rcpt.slice(0, bounds.loggedRecipients),
      ...(t.rcpt.length > bounds.loggedRecipients ? { rcptCount: t.rcpt.length } : {}),
      replies: [...state.pending, ...t.replies],
      ...(t.repliesNotLogged > 0 ? { repliesNotLogged: t.repliesNotLogged } : {}),
      ...extra,
    };
    options.log(safeJson(line) + '\n');
    options.onTransaction?.({ line, ...(message ?? {}) });
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
      note(state, where, { command, reply: 'accepted (--accept)', stage, wouldRefuse: refusal.code });
      return null;
    }
    note(state, where, { command, reply: refusal.code, stage });
    return refusal;
  };

  /** A refusal of the sink's own bounds: given under --accept too, and logged. */
  const refuseOwn = (state: ConnectionState, where: Reply[], command: string, refusal: Refusal): Refusal => {
    note(state, where, { command, reply: refusal.code });
    return refusal;
  };

  /** The deadline by which the next command line (or, in DATA, the message) must be whole; past it the connection is told and closed. */
  const armDeadline = (state: ConnectionState, what: 'command' | 'DATA') => {
    if (state.deadline) clearTimeout(state.deadline);
    if (state.closed) return;
    const ms = what === 'command' ? bounds.commandMs : bounds.dataMs;
    state.deadline = setTimeout(() => {
      const reply = ownReply(421, '4.4.2', `${what === 'command' ? 'a command was not' : 'the message was not'} complete within ${ms / 1000} s, closing`);
      note(state, state.transaction.replies, { command: what === 'command' ? '(incomplete command)' : 'DATA', reply: reply.code });
      state.connection?.send(reply.status, reply.text);
      state.connection?.close();
    }, ms);
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
    // A provider's MX takes no logins: AUTH is neither offered nor understood there.
    disabledCommands: role === 'mx' ? ['AUTH'] : [],
    allowInsecureAuth: true,
    // Advertised in EHLO; enforced by the sink in the profile's words (commandVerdict for MAIL SIZE=, judge() for DATA).
    size: Number.isFinite(maxSize) ? maxSize : 0,
    socketTimeout: options.idleTimeoutMs ?? 60_000,
    closeTimeout: 5_000,
    maxClients: bounds.connections,
    logger: false,

    onConnect(smtpSession, callback) {
      const connection = connectionOf(server, smtpSession);
      const remoteAddress = smtpSession.remoteAddress;
      const clientIp = options.clientIp ?? remoteAddress;
      const state: ConnectionState = { id: smtpSession.id, clientIp, remoteAddress, helo: null, user: null, commands: 0, badCommands: 0, messages: 0, recipients: 0, senders: new Set(), transaction: newTransaction(), pending: [], connection, deadline: null, inData: false, closed: false };
      states.set(smtpSession.id, state);
      const open = counters.connect(clientIp);
      if (connection) interceptCommands(connection, { command: (line, verb, supported) => commandVerdict(state, line, verb, supported), lineArrived: () => armDeadline(state, 'command') });
      armDeadline(state, 'command');
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
      const command = `AUTH ${auth.method}`;
      const now = Date.now();
      // An IP past its failed logins stays refused, the right password included, until its window passes.
      const banned = counters.authFailuresByIp.count(state.clientIp, now) >= dialogue.limit('too-many-auth-failures') ? refuse(state, state.pending, command, 'too-many-auth-failures') : null;
      if (banned) return callback(smtpError(banned.status, banned.text));
      const account = options.accounts.find((a) => a.user.toLowerCase() === user);
      if (account && auth.password === account.password) {
        const blocked = options.lockedAccounts?.has(user) ? refuse(state, state.pending, command, 'account-locked') : options.smtpDisabledAccounts?.has(user) ? refuse(state, state.pending, command, 'smtp-disabled') : null;
        if (blocked) return callback(smtpError(blocked.status, blocked.text));
        state.user = user;
        note(state, state.pending, { command, reply: '235 Authentication successful' });
        return callback(null, { user: state.user });
      }
      counters.authFailuresByIp.add(state.clientIp, now);
      counters.authFailuresByAccount.add(user, now);
      // The IP's failures ban the IP; one account's failures lock that account's logins for a while.
      const stage: DialogueStage =
        counters.authFailuresByIp.count(state.clientIp, now) >= dialogue.limit('too-many-auth-failures')
          ? 'too-many-auth-failures'
          : counters.authFailuresByAccount.count(user, now) >= dialogue.limit('too-many-account-auth-failures')
            ? 'too-many-account-auth-failures'
            : 'auth-failed';
      if (options.accept) {
        refuse(state, state.pending, command, stage);
        state.user = user;
        return callback(null, { user: state.user });
      }
      // A provider that documents no reply for a failed login still refuses it: in the sink's own words.
      const refusal = refuse(state, state.pending, command, stage) ?? refuseOwn(state, state.pending, command, ownReply(535, '5.7.8', `authentication failed (${session.profile.label.en} documents no reply for it)`));
      callback(smtpError(refusal.status, refusal.text));
    },

    onMailFrom(address: SMTPServerAddress, smtpSession, callback) {
      const state = states.get(smtpSession.id)!;
      const t = state.transaction;
      const sender = address.address.toLowerCase();
      t.mailFrom = sender;
      const command = `MAIL FROM:<${sender}>`;
      const now = Date.now();
      if (sender && !state.senders.has(sender)) {
        state.senders.add(sender);
        counters.connectionsBySender.add(sender, now);
      }
      const stage = mailStage(state, sender, now);
      const refusal = stage ? refuse(state, t.replies, command, stage) : null;
      if (refusal) return callback(smtpError(refusal.status, refusal.text));
      note(state, t.replies, { command, reply: '250 Accepted' });
      callback();
    },

    onRcptTo(address: SMTPServerAddress, smtpSession, callback) {
      const state = states.get(smtpSession.id)!;
      const t = state.transaction;
      const recipient = address.address.toLowerCase();
      const command = `RCPT TO:<${recipient}>`;
      if (t.rcpt.length >= bounds.recipients) {
        const own = refuseOwn(state, t.replies, command, ownReply(452, '4.5.3', `too many recipients (the sink holds ${bounds.recipients} per transaction)`));
        return callback(smtpError(own.status, own.text));
      }
      const now = Date.now();
      const stage = rcptStage(state, recipient, now);
      const refusal = stage ? refuse(state, t.replies, command, stage) : null;
      if (refusal) return callback(smtpError(refusal.status, refusal.text));
      t.rcpt.push(recipient);
      state.recipients++;
      if (t.mailFrom) {
        counters.recipientsBySender.add(t.mailFrom, now);
        counters.recipientsBySenderShort.add(t.mailFrom, now);
      }
      note(state, t.replies, { command, reply: '250 Accepted' });
      callback();
    },

    onData(stream: Readable, smtpSession, callback) {
      const state = states.get(smtpSession.id)!;
      // The log line receive() writes starts the next transaction: the reply names this one.
      const { id } = state.transaction;
      state.inData = true;
      armDeadline(state, 'DATA');
      void receive(stream, state).then(
        (refusal) => {
          state.inData = false;
          armDeadline(state, 'command');
          callback(refusal ? smtpError(refusal.status, refusal.text) : null, refusal ? undefined : acceptedReply(id).slice('250 '.length));
        },
        (err: unknown) => {
          // A client that hung up in DATA is logged as it leaves (onClose); there is no one to answer.
          if (err instanceof DataAborted || state.closed) return;
          state.inData = false;
          armDeadline(state, 'command');
          const refusal = dialogue.refusal('local-error');
          callback(smtpError(refusal?.status ?? 451, refusal?.text ?? (err instanceof Error ? err.message : String(err))));
        },
      );
    },

    onClose(smtpSession) {
      const state = states.get(smtpSession.id);
      if (!state) return;
      state.closed = true;
      if (state.deadline) clearTimeout(state.deadline);
      writeLog(state, state.inData ? { aborted: 'the client closed the connection during DATA' } : {});
      counters.disconnect(state.clientIp);
      states.delete(smtpSession.id);
    },
  });
  server.on('error', () => undefined);

  /** The MAIL stage a sender earns, or null: lists first, then the role's rules, then the sender's volume. */
  function mailStage(state: ConnectionState, sender: string, now: number): DialogueStage | null {
    const domain = domainOf(sender);
    if (options.deniedSenders?.has(sender)) return 'sender-denied';
    if (options.allowedSenders && !options.allowedSenders.has(sender)) return 'sender-not-allowed';
    if (state.messages >= dialogue.limit('too-many-messages-in-connection')) return 'too-many-messages-in-connection';
    if (sender === '') return 'null-sender';
    if (role === 'submission' && !dialogue.isProviderDomain(domain)) return 'sender-not-local';
    if (role === 'submission' && state.user !== null && sender !== state.user) return 'sender-not-account';
    if (role === 'mx' && dialogue.isProviderDomain(domain)) return 'local-sender-from-outside';
    if (counters.messagesBySender.count(sender, now) >= dialogue.limit('too-many-messages-today')) return 'too-many-messages-today';
    if (counters.messagesBySenderShort.count(sender, now) >= dialogue.limit('too-many-messages-short-term')) return 'too-many-messages-short-term';
    if (counters.connectionsBySender.count(sender, now) > dialogue.limit('too-many-connections-today')) return 'too-many-connections-today';
    return null;
  }

  /** The RCPT stage a recipient earns, or null. */
  function rcptStage(state: ConnectionState, recipient: string, now: number): DialogueStage | null {
    const t = state.transaction;
    const unknown = options.mailboxes !== undefined && options.mailboxes.size > 0 && !options.mailboxes.has(recipient);
    if (unknown) counters.unknownRecipientsByIp.add(state.clientIp, now);
    if (role === 'mx' && !dialogue.isProviderDomain(domainOf(recipient))) return 'relay-denied';
    if (options.suspendedMailboxes?.has(recipient)) return 'recipient-suspended';
    if (unknown) return counters.unknownRecipientsByIp.count(state.clientIp, now) >= dialogue.limit('too-many-unknown-recipients') ? 'too-many-unknown-recipients' : 'unknown-recipient';
    if (t.rcpt.length >= dialogue.limit('too-many-recipients')) return 'too-many-recipients';
    if (state.recipients >= dialogue.limit('too-many-recipients-in-connection')) return 'too-many-recipients-in-connection';
    if (t.mailFrom && counters.recipientsBySender.count(t.mailFrom, now) >= dialogue.limit('too-many-recipients-today')) return 'too-many-recipients-today';
    if (t.mailFrom && counters.recipientsBySenderShort.count(t.mailFrom, now) >= dialogue.limit('too-many-recipients-short-term')) return 'too-many-recipients-short-term';
    return null;
  }

  /**
   * Reads the message, keeping it within the size limit and within what the sink may hold
   * across connections; past either the rest is read and dropped. Then runs the checks
   * and says how DATA ends.
   */
  async function receive(stream: Readable, state: ConnectionState): Promise<{ status: number; text: string } | null> {
    const t = state.transaction;
    const keep = Number.isFinite(maxSize) ? maxSize : bounds.messageBytes;
    const bytes = new MessageBytes();
    let kept = 0;
    let size = 0;
    let overHeld = false;
    let sinceYield = 0;
    // The bytes kept are counted twice while held (the pieces, then what the checks make of
    // them) and given back once, whichever way DATA ends.
    try {
      try {
        for await (const chunk of stream) {
          size += (chunk as Buffer).length;
          // A fast sender's buffered DATA is read in microtasks, without a turn of the event loop between
          // chunks: a turn every 256 KiB keeps other clients' commands answered while a 49 MB message arrives.
          sinceYield += (chunk as Buffer).length;
          if (sinceYield >= YIELD_BYTES) {
            sinceYield = 0;
            await yieldToLoop();
          }
          if (kept >= keep || overHeld) continue;
          if (held + 2 * (chunk as Buffer).length > bounds.heldBytes) {
            // This message is refused (452): what it holds goes back at once, so the messages still arriving can finish.
            overHeld = true;
            held -= 2 * kept;
            kept = 0;
            bytes.clear();
            continue;
          }
          bytes.push(chunk as Buffer);
          kept += (chunk as Buffer).length;
          held += 2 * (chunk as Buffer).length;
        }
      } catch (err) {
        throw stream.readableEnded ? err : new DataAborted();
      }
      // Ended without the final dot: the client hung up or was cut off at its deadline.
      if (!stream.readableEnded) throw new DataAborted();
      // Large messages are checked one at a time: five 49 MB walks at once starved small messages' replies past a second.
      if (kept < LARGE_MESSAGE_BYTES) return await judge(state, t, bytes, size, overHeld);
      const turn = largeChecks.then(() => judge(state, t, bytes, size, overHeld));
      largeChecks = turn.catch(() => undefined);
      return await turn;
    } finally {
      held -= 2 * kept;
    }
  }

  async function judge(state: ConnectionState, t: Transaction, bytes: MessageBytes, size: number, overHeld: boolean): Promise<{ status: number; text: string } | null> {
    const raw = bytes.pieces();
    const now = Date.now();
    state.messages++;
    counters.messagesByIp.add(state.clientIp, now);
    counters.messagesByIpToday.add(state.clientIp, now);
    if (t.mailFrom) {
      counters.messagesBySender.add(t.mailFrom, now);
      counters.messagesBySenderShort.add(t.mailFrom, now);
    }
    if (size > maxSize) {
      const refusal = refuse(state, t.replies, 'DATA', 'message-too-large');
      if (refusal) {
        writeLog(state, { size });
        return refusal;
      }
    }
    if (overHeld) {
      const own = refuseOwn(state, t.replies, 'DATA', ownReply(452, '4.3.1', `insufficient storage: the sink holds ${Math.round(bounds.heldBytes / 1024 / 1024)} MiB of messages at once, try again`));
      writeLog(state, { size });
      return own;
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
      if (t.smtputf8) inputs.smtputf8 = true;
      report = await checkTarget(session, inputs);
    } catch (err) {
      // A message presend cannot check is the sink's own failure: the provider's "local error", never a verdict.
      const refusal = refuse(state, t.replies, 'DATA', 'local-error');
      writeLog(state, { error: err instanceof Error ? err.message : String(err) });
      return refusal;
    }
    const first = report.findings.find((f): f is Finding & { code: string } => f.severity === 'error' && f.code !== null);
    const stored = store?.keep(t.id, raw, report);
    const logged = { verdict: report.verdict, findings: findingsOf(report), ...(typeof stored === 'string' ? { stored } : (stored ?? {})) };
    if (first && !options.accept) {
      note(state, t.replies, { command: 'DATA', reply: first.code });
      writeLog(state, logged, { raw, report });
      return splitReply(first.code);
    }
    note(state, t.replies, { command: 'DATA', reply: acceptedReply(t.id), ...(first ? { wouldRefuse: first.code } : {}) });
    writeLog(state, logged, { raw, report });
    return null;
  }

  /**
   * smtp-server answers an empty HELO, an unknown verb, MAIL before AUTH and a SIZE past
   * the limit itself, with its own words; the provider's replies are put in front of it here.
   */
  function commandVerdict(state: ConnectionState, line: string, verb: string, supported: boolean): LineVerdict {
    state.commands++;
    const answer = (refusal: Refusal, close = false): LineVerdict => ({ pass: false, status: refusal.status, text: refusal.text, close });
    const tooMany = state.commands > dialogue.limit('too-many-commands') ? refuse(state, state.pending, verb, 'too-many-commands') : null;
    if (tooMany) return answer(tooMany, true);
    if ((verb === 'HELO' || verb === 'EHLO') && line.trim().split(/\s+/).length < 2) {
      state.badCommands++;
      const refusal = refuse(state, state.pending, line.trim(), 'empty-helo');
      if (refusal) return answer(refusal);
    }
    if (verb && !supported) {
      state.badCommands++;
      const over = state.badCommands >= dialogue.limit('too-many-bad-commands');
      const refusal = refuse(state, state.pending, verb, over ? 'too-many-bad-commands' : 'unknown-command');
      if (refusal) return answer(refusal, over);
      // Passed on, smtp-server would answer in its own words and leave the log without it.
      if (!options.accept) return answer(refuseOwn(state, state.pending, verb, ownReply(500, '5.5.2', 'command not recognized')));
    }
    if (role === 'submission' && !state.connection?.session.user && (verb === 'MAIL' || verb === 'RCPT' || verb === 'DATA')) {
      const refusal = refuse(state, state.pending, verb, 'auth-required');
      if (refusal) return answer(refusal);
    }
    const envelope = verb === 'MAIL' || verb === 'RCPT' ? envelopeVerdict(state, line, verb) : null;
    if (envelope) return answer(refuseOwn(state, state.transaction.replies, line.trim().slice(0, 200), envelope));
    const declared = verb === 'MAIL' ? /\bSIZE=(\d+)/i.exec(line) : null;
    if (declared && Number(declared[1]) > maxSize) {
      const refusal = refuse(state, state.transaction.replies, `MAIL SIZE=${declared[1]}`, 'message-too-large');
      if (refusal) return answer(refusal);
    }
    if (verb === 'HELO' || verb === 'EHLO') state.helo = line.trim().split(/\s+/)[1] ?? '';
    if (verb === 'RSET') writeLog(state);
    return { pass: true };
  }

  /**
   * What RFC 3461 and RFC 6531 say of a MAIL or RCPT line this server cannot take: DSN
   * parameters where DSN is not offered (555, RFC 5321 §4.1.1.11), and a non-ASCII address in
   * a transaction whose MAIL did not say SMTPUTF8 (553 5.6.7, RFC 6531 §3.5). NetEase documents
   * neither, so the replies say they are the sink's own.
   */
  function envelopeVerdict(state: ConnectionState, line: string, verb: 'MAIL' | 'RCPT'): Refusal | null {
    const params = line.replace(/^\S+\s+(?:FROM|TO):\s*<[^>]*>/i, '');
    const dsn = verb === 'MAIL' ? /\b(RET|ENVID)=/i.exec(params) : /\b(NOTIFY|ORCPT)=/i.exec(params);
    if (dsn) return ownReply(555, '5.5.4', `${dsn[1]!.toUpperCase()}= is a DSN parameter (RFC 3461) and this server does not offer DSN`);
    if (verb === 'MAIL') state.transaction.smtputf8 = /\bSMTPUTF8\b/i.test(params);
    const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(address) && !state.transaction.smtputf8) {
      return ownReply(553, '5.6.7', 'a non-ASCII address needs SMTPUTF8 on MAIL FROM (RFC 6531)');
    }
    return null;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    host: options.host,
    port: boundPort(server),
    close: () =>
      new Promise<void>((resolve) => {
        for (const state of states.values()) writeLog(state);
        server.close(() => resolve());
      }),
  };
}

/** DATA read between two turns of the event loop. */
const YIELD_BYTES = 256 * 1024;

/** Past this a message's check waits for the large one before it (its walk of the bytes takes a core for a while). */
const LARGE_MESSAGE_BYTES = 4 * 1024 * 1024;

/** DATA that ended without its final dot: the client went away. */
class DataAborted extends Error {}

function findingsOf(report: Report) {
  return report.findings.map((f) => ({ rule: f.rule, severity: f.severity, code: f.code, message: f.message }));
}

/**
 * --store: each message (.eml) beside its report (.json), named by the transaction, in a
 * folder only this user may read (messages hold other people's mail), up to a total size
 * for the run; past it messages are no longer kept, and the log says so.
 */
class MessageStore {
  private written = 0;
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  keep(id: string, raw: readonly Buffer[], report: Report): string | { notStored: string } {
    const json = safeJson(report, 2) + '\n';
    const bytes = raw.reduce((n, piece) => n + piece.length, 0) + Buffer.byteLength(json);
    if (this.written + bytes > this.maxBytes) return { notStored: `--store holds ${Math.round(this.maxBytes / 1024 / 1024)} MiB per run, reached` };
    this.written += bytes;
    const base = join(this.dir, id);
    const fd = openSync(`${base}.eml`, 'wx', 0o600);
    try {
      for (const piece of raw) for (let written = 0; written < piece.length; ) written += writeSync(fd, piece, written);
    } finally {
      closeSync(fd);
    }
    writeFileSync(`${base}.json`, json, { mode: 0o600, flag: 'wx' });
    return `${base}.eml`;
  }
}
