/**
 * SpamAssassin's spamd protocol (SPAMC/1.5, spamd/PROTOCOL in SpamAssassin's sources): a
 * SYMBOLS request with the message, a "Spam: True ; 9.8 / 5.0" header and the rule names
 * back. Written here, a few dozen lines: the npm clients (spamc, node-spamc) are unmaintained
 * since 2014 and hold the whole reply unbounded.
 */
import { ENGINE_TIMEOUT_MS, MAX_ENGINE_REPLY_BYTES, type EngineVerdict } from './verdict.js';

export interface SpamdAddress {
  host: string;
  port: number;
}

export function parseSpamdReply(reply: string): EngineVerdict {
  const [head = '', body = ''] = reply.split(/\r?\n\r?\n/, 2);
  const status = /^SPAMD\/\d+\.\d+ (\d+) (\S+)/.exec(head);
  if (!status) throw new Error(`not a spamd reply (${JSON.stringify(head.slice(0, 80))})`);
  if (status[1] !== '0') throw new Error(`spamd answered ${status[1]} ${status[2]}`);
  const spam = /^Spam: (True|False|Yes|No) ; (-?[\d.]+) \/ (-?[\d.]+)/im.exec(head);
  if (!spam) throw new Error('a spamd reply without a Spam header');
  const symbols = body
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^[A-Za-z0-9_]+$/.test(s))
    .map((name) => ({ name }));
  return { engine: 'spamassassin', spam: /^(True|Yes)$/i.test(spam[1]!), score: Number(spam[2]), required: Number(spam[3]), symbols };
}

export async function askSpamd(address: SpamdAddress, message: Buffer): Promise<EngineVerdict> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = connect(address.port, address.host);
    const chunks: Buffer[] = [];
    let held = 0;
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(ENGINE_TIMEOUT_MS, () => fail(new Error(`no answer within ${ENGINE_TIMEOUT_MS / 1000} s`)));
    socket.on('connect', () => {
      socket.write(`SYMBOLS SPAMC/1.5\r\nContent-length: ${message.length}\r\nUser: presend\r\n\r\n`);
      // The request ends where the socket's sending half closes, as spamc does.
      socket.end(message);
    });
    socket.on('data', (chunk: Buffer) => {
      held += chunk.length;
      if (held > MAX_ENGINE_REPLY_BYTES) return fail(new Error(`a reply larger than ${MAX_ENGINE_REPLY_BYTES} bytes`));
      chunks.push(chunk);
    });
    socket.on('error', fail);
    socket.on('end', () => {
      try {
        resolve(parseSpamdReply(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}
