/**
 * A raw SMTP client for the dialogue tests: it sends exactly the lines a test gives —
 * broken ones included — and reads each reply whole (multi-line replies joined).
 */
import { connect, type Socket } from 'node:net';

export interface RawSmtp {
  greeting: string;
  /** Sends one line and resolves with the reply (its last line's text, all lines joined). */
  send(line: string): Promise<string>;
  /** Sends raw bytes (a message body) and resolves with the next reply. */
  sendRaw(bytes: string): Promise<string>;
  closed: Promise<void>;
  end(): void;
}

export function rawSmtp(port: number, host = '127.0.0.1'): Promise<RawSmtp> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ port, host });
    let buffer = '';
    const waiting: ((reply: string) => void)[] = [];
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      // A reply ends with a line whose status is followed by a space (RFC 5321 §4.2.1).
      for (let m = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(buffer); m; m = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(buffer)) {
        const end = m.index + m[0].length;
        const reply = buffer.slice(0, end).trim();
        buffer = buffer.slice(end);
        waiting.shift()?.(reply);
      }
    });
    const next = () => new Promise<string>((done) => waiting.push(done));
    void next().then((greeting) =>
      resolve({
        greeting,
        send: (line) => {
          const reply = next();
          socket.write(`${line}\r\n`);
          return reply;
        },
        sendRaw: (bytes) => {
          const reply = next();
          socket.write(bytes);
          return reply;
        },
        closed,
        end: () => socket.destroy(),
      }),
    );
  });
}
