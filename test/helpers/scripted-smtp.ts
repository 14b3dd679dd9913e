/**
 * A hostile or odd SMTP server for the dry-run tests, written here: it answers each line
 * with what the test's script says (any bytes, broken replies included), can offer STARTTLS
 * or speak implicit TLS with a certificate of the test's choosing, and records every line
 * it received — so a test can see what presend sent, and what it never sent.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

export interface Script {
  /** The greeting bytes (default "220 scripted ESMTP\r\n"). */
  greeting?: string;
  /** The answer to one line (without CRLF): bytes to send, or null to send nothing (a server gone quiet). */
  answer(line: string, secure: boolean): string | null;
  /** Certificate and key for STARTTLS (after a "220" to STARTTLS) or for implicit TLS. */
  tls?: { key: string; cert: string };
  implicit?: boolean;
}

export interface ScriptedServer {
  port: number;
  /** Every line received, in order. */
  received: string[];
  close(): Promise<void>;
}

/** EHLO's answer offering what a test names (e.g. ['STARTTLS', 'AUTH PLAIN LOGIN']). */
export function ehloOffering(...extensions: string[]): string {
  const lines = ['scripted.example', ...extensions];
  return lines.map((line, i) => `250${i === lines.length - 1 ? ' ' : '-'}${line}\r\n`).join('');
}

export async function scriptedSmtp(script: Script): Promise<ScriptedServer> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const serve = (socket: Socket, secure: boolean) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end).replace(/\r$/, '');
        buffer = buffer.slice(end + 1);
        received.push(line);
        const answer = script.answer(line, secure);
        if (answer !== null) socket.write(answer);
        if (/^STARTTLS$/i.test(line) && answer?.startsWith('220') && script.tls && !secure) {
          socket.off('data', onData);
          const upgraded = new TLSSocket(socket, { isServer: true, key: script.tls.key, cert: script.tls.cert });
          upgraded.on('error', () => undefined);
          serve(upgraded, true);
          return;
        }
        if (/^QUIT$/i.test(line)) socket.end();
      }
    };
    socket.on('data', onData);
  };
  const server: Server = createServer((raw) => {
    sockets.add(raw);
    raw.on('error', () => undefined);
    raw.on('close', () => sockets.delete(raw));
    if (script.implicit && script.tls) {
      const secure = new TLSSocket(raw, { isServer: true, key: script.tls.key, cert: script.tls.cert });
      secure.on('error', () => undefined);
      secure.once('secure', () => secure.write(script.greeting ?? '220 scripted ESMTP\r\n'));
      serve(secure, true);
    } else {
      raw.write(script.greeting ?? '220 scripted ESMTP\r\n');
      serve(raw, false);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
