/**
 * The smtp-server private parts src/sink/smtp-server-adapter.ts relies on, pinned: if an
 * upgrade renames or changes one, this fails before the sink does.
 */
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { boundPort, connectionOf, interceptCommands } from '../../src/sink/smtp-server-adapter.js';
import { rawSmtp } from '../helpers/smtp.js';

let server: SMTPServer | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

function listen(options: ConstructorParameters<typeof SMTPServer>[0]): Promise<number> {
  return new Promise((done) => {
    server = new SMTPServer({ logger: false, disableReverseLookup: true, ...options });
    server.listen(0, '127.0.0.1', () => done(boundPort(server!)));
  });
}

describe("smtp-server's private parts", () => {
  it('connections, _onCommand, _nextHandler and _isSupported are there, and AUTH continuation lines pass untouched', async () => {
    const seen: { line: string; verb: string; supported: boolean }[] = [];
    let lines = 0;
    const port = await listen({
      authOptional: true,
      allowInsecureAuth: true,
      authMethods: ['LOGIN'],
      disabledCommands: ['STARTTLS'],
      onConnect(session, callback) {
        const connection = connectionOf(server!, session);
        expect(connection).toBeDefined();
        for (const name of ['_onCommand', '_isSupported', 'send', 'close']) expect(typeof (connection as unknown as Record<string, unknown>)[name]).toBe('function');
        expect('_nextHandler' in connection!).toBe(true);
        interceptCommands(connection!, {
          command: (line, verb, supported) => {
            seen.push({ line, verb, supported });
            return verb === 'NOPE' ? { pass: false, status: 502, text: 'policy says no', close: false } : { pass: true };
          },
          lineArrived: () => lines++,
        });
        callback();
      },
      onAuth(auth, _session, callback) {
        callback(null, { user: auth.username });
      },
    });
    const c = await rawSmtp(port);
    await c.send('EHLO client.example');
    expect(await c.send('AUTH LOGIN')).toMatch(/^334 /);
    expect(await c.send(Buffer.from('user').toString('base64'))).toMatch(/^334 /);
    expect(await c.send(Buffer.from('secret').toString('base64'))).toMatch(/^235 /);
    expect(await c.send('NOPE')).toBe('502 policy says no');
    expect(await c.send('STARTTLS')).toMatch(/^5/);
    c.end();
    expect(seen.map((s) => [s.verb, s.supported])).toEqual([
      ['EHLO', true],
      ['AUTH', true],
      ['NOPE', false],
      ['STARTTLS', false],
    ]);
    expect(lines).toBe(6);
  });
});
