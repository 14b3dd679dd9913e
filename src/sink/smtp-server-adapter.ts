/**
 * The one place the sink touches smtp-server's private parts. smtp-server has hooks for
 * connect, AUTH, MAIL, RCPT, DATA and close, but none for a command line as such (HELO,
 * unknown verbs, a line before AUTH, a connection's deadline): the sink puts its policy in
 * front of the connection's private `_onCommand`, and must leave an AUTH exchange's
 * continuation lines (`_nextHandler` set) to the library untouched — they carry credentials,
 * not commands. test/sink/smtp-server-adapter.test.ts pins every name used here.
 */
import type { SMTPServer, SMTPServerSession } from 'smtp-server';

/** What the sink needs of one of smtp-server's connections. */
export interface SmtpConnection {
  id: string;
  session: SMTPServerSession;
  send(code: number, text: string | string[]): void;
  close(): void;
}

interface ConnectionInternals extends SmtpConnection {
  _onCommand(command: Buffer, callback?: () => void): void;
  /** Set while the library waits for an AUTH continuation line (SASL LOGIN, PLAIN without an initial response). */
  _nextHandler: unknown;
  /** Whether the library implements a verb and it is not disabled. */
  _isSupported(command: string): boolean;
}

/** The connection smtp-server made for a session (found from onConnect). */
export function connectionOf(server: SMTPServer, session: SMTPServerSession): SmtpConnection | undefined {
  const connections = (server as unknown as { connections: Set<ConnectionInternals> }).connections;
  for (const c of connections) if (c.session === session || c.id === session.id) return c;
  return undefined;
}

/** What the sink's policy says of one command line. */
export type LineVerdict = { pass: true } | { pass: false; status: number; text: string; close: boolean };

export interface CommandPolicy {
  /** A command line (never an AUTH continuation line): pass it on to smtp-server, or answer it here. */
  command(line: string, verb: string, supported: boolean): LineVerdict;
  /** Any complete line arrived, an AUTH continuation line included (the connection's deadline restarts). */
  lineArrived(): void;
}

/** Puts the policy in front of the connection's command handling. */
export function interceptCommands(connection: SmtpConnection, policy: CommandPolicy): void {
  const c = connection as ConnectionInternals;
  const original = c._onCommand.bind(c);
  c._onCommand = (command: Buffer, callback?: () => void) => {
    policy.lineArrived();
    // An AUTH continuation line is the library's to read: it is a credential, not a command.
    if (c._nextHandler) return original(command, callback);
    const line = (command ?? Buffer.alloc(0)).toString();
    const verb = line.split(' ')[0]!.toUpperCase();
    const verdict = policy.command(line, verb, verb === '' || c._isSupported(verb));
    if (verdict.pass) return original(command, callback);
    c.send(verdict.status, verdict.text);
    if (verdict.close) c.close();
    setImmediate(() => callback?.());
  };
}

/** The port the server is bound to. */
export function boundPort(server: SMTPServer): number {
  return (server as unknown as { server: { address(): { port: number } } }).server.address().port;
}
