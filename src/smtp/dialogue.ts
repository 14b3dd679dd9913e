/**
 * A dry run of a real send path: connect, EHLO, STARTTLS or implicit TLS, AUTH, MAIL
 * FROM, RCPT TO, then RSET and QUIT — never DATA, so nothing is sent. Written here
 * because nodemailer, the client the project uses elsewhere, always goes on to DATA and
 * exposes no step-by-step MAIL/RCPT API; this client records every reply instead.
 *
 * Credentials go only over TLS whose certificate verifies for the host named (the system's
 * CAs plus `ca`), or an unverified one when the user said `insecure` — never in clear, and
 * only to a server that offers AUTH. Nothing a server says can bring them into the record.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { trustedCas } from '../net/trust.js';
import { ProtocolError, ReplyReader, ReplyTimeout } from './reply-lines.js';
import { redactor } from './secrets.js';

export type TlsMode = 'starttls' | 'implicit' | 'none';

export interface DryRunOptions {
  host: string;
  port: number;
  helo: string;
  tls: TlsMode | 'auto';
  user?: string;
  password?: string;
  mailFrom: string;
  rcpt: string[];
  timeoutMs: number;
  /** CA certificates (PEM) trusted beside the system's. */
  ca?: string;
  /** Go on over TLS whose certificate does not verify (credentials included); never over plaintext. */
  insecure?: boolean;
}

export interface Step {
  step: string;
  /** What was sent (credentials never shown). */
  command: string;
  reply: string;
  status: number;
}

export interface TlsFacts {
  protocol: string | null;
  authorized: boolean;
  authorizationError: string | null;
  validTo: string | null;
  subject: string | null;
}

/**
 * Why a run ended before QUIT: it could not connect, a step was refused, the server broke
 * the protocol, went quiet or hung up, TLS failed, or presend kept the credentials back
 * (no verified TLS, or no AUTH offered).
 */
export type StopKind = 'connect' | 'refused' | 'protocol' | 'timeout' | 'closed' | 'tls' | 'credentials-withheld' | 'auth-not-offered';

export interface DryRun {
  steps: Step[];
  tls: TlsFacts | null;
  stopped: { step: string; reason: string; kind: StopKind } | null;
}

/** A run ended by presend's own decision, with the kind of stop it is. */
class Stop extends Error {
  constructor(
    readonly kind: StopKind,
    readonly step: string,
    reason: string,
  ) {
    super(reason);
  }
}

/** Sends a command (none: just waits for the greeting) and records the reply as a step; `shown` is what the report shows of the command. */
type Exchange = (step: string, command: string | null, shown?: string) => Promise<Step>;

function kindOf(err: unknown): StopKind {
  if (err instanceof Stop) return err.kind;
  if (err instanceof ProtocolError) return 'protocol';
  if (err instanceof ReplyTimeout) return 'timeout';
  return 'closed';
}

export async function dryRun(o: DryRunOptions): Promise<DryRun> {
  const steps: Step[] = [];
  let tls: TlsFacts | null = null;
  const redact = redactor(o.password === undefined ? [] : [o.password, `\0${o.user ?? ''}\0${o.password}`]);
  const implicit = o.tls === 'implicit' || (o.tls === 'auto' && o.port === 465);
  let socket: Socket | TLSSocket;
  try {
    socket = await open(o, implicit);
  } catch (err) {
    return { steps, tls, stopped: { step: 'connect', reason: redact((err as Error).message), kind: kindOf(err) === 'tls' ? 'tls' : 'connect' } };
  }
  if (implicit) tls = tlsFacts(socket as TLSSocket);
  const lines = new ReplyReader(socket);
  /** The step whose reply is awaited: a timeout or a hang-up is that step's, not the one before. */
  let current = 'greeting';
  const exchange: Exchange = async (step, command, shown = command ?? '') => {
    current = step;
    if (command !== null) socket.write(`${command}\r\n`);
    const reply = await lines.next(o.timeoutMs);
    const done = { step, command: shown, reply: redact(reply.text), status: reply.status };
    steps.push(done);
    return done;
  };
  const refused = (step: Step) => new Stop('refused', step.step, step.reply);
  try {
    const greeting = await exchange('greeting', null);
    if (greeting.status >= 400) throw refused(greeting);
    let ehlo = await exchange('EHLO', `EHLO ${o.helo}`);
    if (ehlo.status >= 500) ehlo = await exchange('HELO', `HELO ${o.helo}`);
    if (ehlo.status >= 400) throw refused(ehlo);
    const offersStarttls = /^250[ -]STARTTLS\b/im.test(ehlo.reply);
    if (!implicit && o.tls !== 'none' && (offersStarttls || o.tls === 'starttls')) {
      const started = await exchange('STARTTLS', 'STARTTLS');
      if (started.status !== 220) throw refused(started);
      current = 'TLS handshake';
      socket = await upgrade(socket, o);
      tls = tlsFacts(socket as TLSSocket);
      lines.attach(socket);
      ehlo = await exchange('EHLO', `EHLO ${o.helo}`);
      if (ehlo.status >= 400) throw refused(ehlo);
    }
    if (o.user !== undefined) await logIn(exchange, o, ehlo.reply, tls);
    const mail = await exchange('MAIL', `MAIL FROM:<${o.mailFrom}>`);
    if (mail.status >= 400) throw refused(mail);
    for (const rcpt of o.rcpt) await exchange('RCPT', `RCPT TO:<${rcpt}>`);
    await exchange('RSET', 'RSET');
    await quit(exchange);
    return { steps, tls, stopped: null };
  } catch (err) {
    const kind = kindOf(err);
    const step = err instanceof Stop ? err.step : current;
    // After a refusal or presend's own stop the line is still good: say goodbye. After a broken line there is no one to tell.
    if (kind === 'refused' || kind === 'credentials-withheld' || kind === 'auth-not-offered') await quit(exchange);
    return { steps, tls, stopped: { step, reason: redact((err as Error).message), kind } };
  } finally {
    socket.destroy();
  }
}

/**
 * AUTH, only where it is safe and offered: over TLS that verified (or that the user let
 * pass with --insecure), to a server whose EHLO lists AUTH, by PLAIN or else LOGIN.
 */
async function logIn(exchange: Exchange, o: DryRunOptions, ehlo: string, tls: TlsFacts | null): Promise<void> {
  if (tls === null) throw new Stop('credentials-withheld', 'AUTH', o.tls === 'none' ? 'no TLS (--tls none)' : 'the server offered no STARTTLS');
  if (!tls.authorized && !o.insecure) throw new Stop('credentials-withheld', 'AUTH', `the certificate does not verify (${tls.authorizationError ?? 'unverified'})`);
  const mechanisms = /^250[ -]AUTH[ =]([^\r\n]*)/im.exec(ehlo)?.[1]?.toUpperCase().split(/\s+/) ?? null;
  if (mechanisms === null) throw new Stop('auth-not-offered', 'AUTH', 'the server lists no AUTH in its EHLO reply');
  const password = o.password ?? '';
  let auth: Step;
  if (mechanisms.includes('PLAIN')) auth = await exchange('AUTH', `AUTH PLAIN ${Buffer.from(`\0${o.user}\0${password}`).toString('base64')}`, 'AUTH PLAIN (credentials not shown)');
  else if (mechanisms.includes('LOGIN')) auth = await loginAuth(exchange, o.user!, password);
  else throw new Stop('auth-not-offered', 'AUTH', `the server offers AUTH ${mechanisms.join(' ')}, none of which presend speaks (PLAIN, LOGIN)`);
  if (auth.status >= 400) throw new Stop('refused', 'AUTH', auth.reply);
}

async function loginAuth(exchange: Exchange, user: string, password: string): Promise<Step> {
  const first = await exchange('AUTH', 'AUTH LOGIN');
  if (first.status !== 334) return first;
  const second = await exchange('AUTH', Buffer.from(user).toString('base64'), '(user name not shown)');
  if (second.status !== 334) return second;
  return exchange('AUTH', Buffer.from(password).toString('base64'), '(password not shown)');
}

async function quit(exchange: Exchange): Promise<void> {
  try {
    await exchange('QUIT', 'QUIT');
  } catch {
    // A server that drops the line at QUIT has said all it will.
  }
}

/**
 * TLS towards the host named: verified against the system's CAs and `ca` when credentials
 * are at stake (Node refuses the handshake otherwise) unless the user said --insecure;
 * without credentials the certificate is judged (a finding), as an MTA's opportunistic TLS
 * would take it.
 */
function tlsOptions(o: DryRunOptions): ConnectionOptions {
  return {
    host: o.host,
    servername: isName(o.host) ? o.host : undefined,
    ...trustedCas(o.ca),
    rejectUnauthorized: o.user !== undefined && !o.insecure,
  };
}

function open(o: DryRunOptions, implicit: boolean): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket: Socket | TLSSocket = implicit ? tlsConnect({ ...tlsOptions(o), port: o.port }) : netConnect({ host: o.host, port: o.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no connection within ${o.timeoutMs} ms`));
    }, o.timeoutMs);
    // Once TCP is up, a failure of an implicit-TLS connection is TLS's (a certificate refused, a handshake broken).
    let connected = false;
    socket.once('connect', () => (connected = true));
    socket.once(implicit ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(connected ? new Stop('tls', 'connect', err.code ?? err.message) : new Error(err.code ?? err.message));
    });
  });
}

function upgrade(plain: Socket | TLSSocket, o: DryRunOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    plain.removeAllListeners('data');
    const secure = tlsConnect({ ...tlsOptions(o), socket: plain });
    const timer = setTimeout(() => reject(new Stop('timeout', 'TLS handshake', `TLS handshake not done within ${o.timeoutMs} ms`)), o.timeoutMs);
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(secure);
    });
    secure.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Stop('tls', 'TLS handshake', err.code ?? err.message));
    });
  });
}

function tlsFacts(socket: TLSSocket): TlsFacts {
  const cert = socket.getPeerCertificate();
  return {
    protocol: socket.getProtocol(),
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
    validTo: cert?.valid_to ?? null,
    subject: cert?.subject?.CN ? String(cert.subject.CN) : null,
  };
}

const isName = (host: string) => !/^[\d.:]+$/.test(host);
