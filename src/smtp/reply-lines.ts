/**
 * SMTP replies read off a socket as RFC 5321 §4.2 writes them: every line is a status
 * (2xx–5xx, second digit 0–5), then a hyphen when more lines follow, a space or nothing on
 * the last; the last line's status is the reply's. Anything else is not SMTP, and is said
 * so (a ProtocolError), never taken for a reply by its first three characters.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface Reply {
  /** The reply's lines as received, joined with CRLF. */
  text: string;
  /** The last line's status. */
  status: number;
}

export class ProtocolError extends Error {}
export class ReplyTimeout extends Error {}

/** Longest reply accepted: a server sending more is not speaking SMTP. */
const MAX_REPLY_BYTES = 64 * 1024;
/** Replies held that no command asked for yet (a server that floods them is not answering this client). */
const MAX_UNASKED_REPLIES = 8;
const REPLY_LINE = /^([2-5][0-5]\d)(?:([ -]).*)?$/s;

export class ReplyReader {
  private partial = '';
  private lines: string[] = [];
  /** Characters held of the reply being read: its lines so far and the partial one. */
  private held = 0;
  private readonly replies: Reply[] = [];
  private waiting: { resolve: (reply: Reply) => void; reject: (err: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  /** Reads replies from this socket (again after STARTTLS, from the TLS one). */
  attach(socket: Socket | TLSSocket): void {
    socket.on('data', (chunk: Buffer) => this.take(chunk.toString('utf8')));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  private take(text: string): void {
    if (this.failure) return;
    this.partial += text;
    this.held += text.length;
    if (this.held > MAX_REPLY_BYTES) return this.fail(new ProtocolError('a reply longer than 64 KiB'));
    for (let end = this.partial.indexOf('\n'); end >= 0; end = this.partial.indexOf('\n')) {
      const line = this.partial.slice(0, end).replace(/\r$/, '');
      this.partial = this.partial.slice(end + 1);
      const m = REPLY_LINE.exec(line);
      if (!m) return this.fail(new ProtocolError(`a reply line that is not SMTP (RFC 5321 §4.2 wants a status 200–559 first): ${JSON.stringify(line.slice(0, 120))}`));
      this.lines.push(line);
      if (m[2] === '-') continue;
      const reply = { text: this.lines.join('\r\n'), status: Number(m[1]) };
      this.lines = [];
      this.held = this.partial.length;
      if (this.waiting) {
        const { resolve } = this.waiting;
        this.waiting = null;
        resolve(reply);
      } else if (this.replies.push(reply) > MAX_UNASKED_REPLIES) return this.fail(new ProtocolError('more replies than commands sent'));
    }
  }

  /** The next whole reply; rejects with ReplyTimeout after `timeoutMs`, or with what broke the connection. */
  next(timeoutMs: number): Promise<Reply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new ReplyTimeout(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(this.failure);
  }
}
