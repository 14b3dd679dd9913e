/**
 * A dry run of a real send path: connect, EHLO, STARTTLS or implicit TLS, AUTH, MAIL
 * FROM, RCPT TO, then RSET and QUIT — never DATA, so nothing is sent. Written here
 * because nodemailer, the client the project uses elsewhere, always goes on to DATA and
 * exposes no step-by-step MAIL/RCPT API; this client records every reply instead.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

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

export interface DryRun {
  steps: Step[];
  tls: TlsFacts | null;
  /** Why the run stopped before QUIT, when it did (connect failure, timeout, a refused step). */
  stopped: { step: string; reason: string } | null;
}

/** Longest reply accepted: a server sending more is not speaking SMTP. */
const MAX_REPLY_BYTES = 64 * 1024;
/** The last line of a reply: its status and a space (or nothing) after it, where a continuation line has a hyphen. */
const LAST_LINE = /(?:^|\r?\n)\d{3}(?: [^\r\n]*)?\r?\n/;

class Lines {
  private buffer = '';
  private readonly waiting: ((reply: string) => void)[] = [];
  private failure: Error | null = null;
  private readonly failed: ((err: Error) => void)[] = [];

  constructor(socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  /** Reads replies from this socket (again after STARTTLS, from the TLS one). */
  attach(socket: Socket | TLSSocket): void {
    socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      if (this.buffer.length > MAX_REPLY_BYTES) return this.fail(new Error('a reply longer than 64 KiB'));
      for (let m = LAST_LINE.exec(this.buffer); m; m = LAST_LINE.exec(this.buffer)) {
        const end = m.index + m[0].length;
        const reply = this.buffer.slice(0, end).trim();
        this.buffer = this.buffer.slice(end);
        this.waiting.shift()?.(reply);
        this.failed.shift();
      }
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  next(timeoutMs: number): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push((reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.failed.push((err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const reject of this.failed.splice(0)) reject(err);
    this.waiting.splice(0);
  }
}

const statusOf = (reply: string) => Number(reply.slice(0, 3));

/** Sends a command (none: just waits for the greeting) and records the reply as a step; `shown` is what the report shows of the command. */
type Exchange = (step: string, command: string | null, shown?: string) => Promise<Step>;

export async function dryRun(o: DryRunOptions): Promise<DryRun> {
  const steps: Step[] = [];
  let tls: TlsFacts | null = null;
  const implicit = o.tls === 'implicit' || (o.tls === 'auto' && o.port === 465);
  let socket: Socket | TLSSocket;
  try {
    socket = await open(o, implicit);
  } catch (err) {
    return { steps, tls, stopped: { step: 'connect', reason: (err as Error).message } };
  }
  socket.setTimeout(o.timeoutMs, () => socket.destroy(new Error(`idle for ${o.timeoutMs} ms`)));
  if (implicit) tls = tlsFacts(socket as TLSSocket);
  const lines = new Lines(socket);
  const exchange: Exchange = async (step, command, shown = command ?? '') => {
    if (command !== null) socket.write(`${command}\r\n`);
    const reply = await lines.next(o.timeoutMs);
    const done = { step, command: shown, reply, status: statusOf(reply) };
    steps.push(done);
    return done;
  };
  try {
    const greeting = await exchange('greeting', null);
    if (greeting.status >= 400) return { steps, tls, stopped: { step: 'greeting', reason: greeting.reply } };
    let ehlo = await exchange('EHLO', `EHLO ${o.helo}`);
    if (ehlo.status >= 500) ehlo = await exchange('HELO', `HELO ${o.helo}`);
    if (ehlo.status >= 400) return { steps, tls, stopped: { step: ehlo.step, reason: ehlo.reply } };
    const offersStarttls = /^250[ -]STARTTLS\b/im.test(ehlo.reply);
    if (!implicit && o.tls !== 'none' && (offersStarttls || o.tls === 'starttls')) {
      const started = await exchange('STARTTLS', 'STARTTLS');
      if (started.status !== 220) return { steps, tls, stopped: { step: 'STARTTLS', reason: started.reply } };
      socket = await upgrade(socket, o);
      tls = tlsFacts(socket as TLSSocket);
      lines.attach(socket);
      ehlo = await exchange('EHLO', `EHLO ${o.helo}`);
    }
    if (o.user !== undefined) {
      const plain = /^250[ -]AUTH\b.*\bPLAIN\b/im.test(ehlo.reply);
      const auth = plain
        ? await exchange('AUTH', `AUTH PLAIN ${Buffer.from(`\0${o.user}\0${o.password ?? ''}`).toString('base64')}`, 'AUTH PLAIN (credentials not shown)')
        : await loginAuth(exchange, o.user, o.password ?? '');
      if (auth.status >= 400) return await quit(exchange, { steps, tls, stopped: { step: 'AUTH', reason: auth.reply } });
    }
    const mail = await exchange('MAIL', `MAIL FROM:<${o.mailFrom}>`);
    if (mail.status >= 400) return await quit(exchange, { steps, tls, stopped: { step: 'MAIL', reason: mail.reply } });
    for (const rcpt of o.rcpt) await exchange('RCPT', `RCPT TO:<${rcpt}>`);
    await exchange('RSET', 'RSET');
    return await quit(exchange, { steps, tls, stopped: null });
  } catch (err) {
    return { steps, tls, stopped: { step: steps.at(-1)?.step ?? 'greeting', reason: (err as Error).message } };
  } finally {
    socket.destroy();
  }
}

async function loginAuth(exchange: Exchange, user: string, password: string): Promise<Step> {
  const first = await exchange('AUTH', 'AUTH LOGIN');
  if (first.status !== 334) return first;
  const second = await exchange('AUTH', Buffer.from(user).toString('base64'), '(user name not shown)');
  if (second.status !== 334) return second;
  return exchange('AUTH', Buffer.from(password).toString('base64'), '(password not shown)');
}

async function quit(exchange: Exchange, run: DryRun): Promise<DryRun> {
  try {
    await exchange('QUIT', 'QUIT');
  } catch {
    // A server that drops the line at QUIT has said all it will.
  }
  return run;
}

function open(o: DryRunOptions, implicit: boolean): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket: Socket | TLSSocket = implicit
      ? tlsConnect({ host: o.host, port: o.port, servername: isName(o.host) ? o.host : undefined, rejectUnauthorized: false })
      : netConnect({ host: o.host, port: o.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no connection within ${o.timeoutMs} ms`));
    }, o.timeoutMs);
    socket.once(implicit ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new Error(err.code ?? err.message));
    });
  });
}

function upgrade(plain: Socket | TLSSocket, o: DryRunOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    plain.removeAllListeners('data');
    // Certificates are judged, not trusted blindly: problems become findings, the dry run goes on.
    const secure = tlsConnect({ socket: plain, servername: isName(o.host) ? o.host : undefined, rejectUnauthorized: false });
    const timer = setTimeout(() => reject(new Error(`TLS handshake not done within ${o.timeoutMs} ms`)), o.timeoutMs);
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(secure);
    });
    secure.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
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
