/**
 * curl's own error lines (`curl: (55) RCPT failed: 550`): curl names its error by number and
 * the SMTP step in words, and quotes the status only sometimes. Read here so `explain` can
 * say which step failed and what curl's number means; the server's own words are not in the
 * line (curl -v shows them). The numbers are curl's (libcurl-errors(3)), not a provider's.
 */
import type { Lang } from '../engine/types.js';

export interface CurlError {
  /** curl's error number. */
  number: number;
  /** The SMTP step the line names, when it names one. */
  step: string | null;
  /** The status the line quotes, when it quotes one. */
  status: string | null;
  meaning: Record<Lang, string>;
}

const MEANINGS: Record<number, Record<Lang, string>> = {
  7: { en: 'curl could not connect to the server (nothing listening, or a firewall)', zh: 'curl 无法连接服务器（端口无人监听或被防火墙拦截）' },
  8: { en: "the server's reply was not SMTP as curl reads it", zh: '服务器的应答不是 curl 能读懂的 SMTP' },
  28: { en: 'the server did not answer in time', zh: '服务器未在时限内应答' },
  55: { en: 'the server refused a step of the send (the status is the refusal)', zh: '服务器拒绝了发送的某一步（状态码即拒绝原因）' },
  56: { en: 'the connection broke while curl read the reply', zh: 'curl 读取应答时连接中断' },
  67: { en: 'the server refused the login (AUTH): a wrong user name or password, or an account that may not log in', zh: '服务器拒绝登录（AUTH）：用户名或密码错误，或该账号不允许登录' },
};

export function curlError(text: string): CurlError | null {
  const m = /\bcurl: \((\d{1,3})\) ([^\r\n]*)/.exec(text);
  if (!m) return null;
  const number = Number(m[1]);
  const words = m[2]!;
  const failed = /\b(MAIL|RCPT|DATA|AUTH|EHLO|HELO|STARTTLS)\b[^:]*failed:?\s*([245]\d\d)?/i.exec(words);
  const step = failed?.[1]?.toUpperCase() ?? (number === 67 ? 'AUTH' : null);
  return { number, step, status: failed?.[2] ?? null, meaning: MEANINGS[number] ?? { en: `curl error ${number}: ${words}`, zh: `curl 错误 ${number}：${words}` } };
}
