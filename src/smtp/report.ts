/**
 * A dry run as a presend report: every refused step read like `explain` reads a bounce
 * (the profile's code, meaning and remedy), TLS problems and a failed connection as
 * findings of their own. A refused step is an error; what could not be checked is a
 * warning, never a refusal.
 */
import { nowMs } from '../clock.js';
import type { Finding, Lang, Report } from '../engine/types.js';
import { verdictOf } from '../engine/verdict.js';
import { explainAcross } from '../explain/explain.js';
import type { Profile } from '../profile/load.js';
import type { DryRun, DryRunOptions } from './dialogue.js';

const words = {
  en: {
    refused: (step: string, reply: string, meaning: string) => `${step} was refused: "${reply}" — ${meaning}`,
    unknownReply: 'a reply presend does not know',
    refusedBy: (step: string, host: string, reply: string, hint: string) => `${step} was refused by ${host}: "${reply}" — a reply from that server, not a provider's; ${hint}`,
    readsLike: (provider: string, code: string, meaning: string) => `it means what ${provider}'s ${code} means: ${meaning}`,
    noConnect: (reason: string) => `Could not check the send path: ${reason}. This is not a refusal.`,
    noConnectFix: 'Many cloud providers block outbound port 25; submission uses 465 (implicit TLS) or 587 (STARTTLS). Check the host, port and firewall.',
    stopped: (step: string, reason: string) => `The dialogue stopped at ${step}: ${reason}. What follows was not checked.`,
    noTls: 'The server offered no STARTTLS: the login and the mail would cross the network in clear.',
    noTlsFix: 'Use a port with TLS (465 implicit, 587 STARTTLS) or a server that offers STARTTLS.',
    certificate: (error: string, subject: string) => `The server's certificate does not verify (${error}; subject ${subject}): clients that check certificates refuse this server.`,
    certificateFix: 'Install a certificate for this host name from a public CA, and keep it renewed.',
    oldTls: (protocol: string) => `The server negotiated ${protocol}; TLS 1.2 is the minimum (RFC 8996).`,
    oldTlsFix: 'Enable TLS 1.2 or 1.3 on the server.',
    protocol: (step: string, reason: string) => `At ${step} the server broke the SMTP protocol: ${reason}. No mail client can send through it.`,
    protocolFix: 'Check that the host and port are an SMTP server (not a web server or a proxy), and what answers there.',
    tlsFailed: (step: string, reason: string) => `TLS could not be set up at ${step}: ${reason}. presend sent nothing over it — no credentials, no envelope.`,
    tlsFailedFix: 'A certificate from a public CA for this host name; for a private CA, give it with --ca-file <pem>; --insecure goes on over a certificate that does not verify (never in clear).',
    withheld: (reason: string) => `presend did not send the password: ${reason}. A mail client set to log in here would hand it to anyone on the path.`,
    withheldFix: 'Log in on a port with TLS whose certificate verifies: 465 (implicit TLS) or 587 (STARTTLS); --ca-file <pem> for a private CA; --insecure accepts an unverified certificate, never plaintext.',
    noAuth: (reason: string, tls: boolean) => `This port offers no login${tls ? '' : ' before STARTTLS'}: ${reason}. A client set to log in here fails.`,
    noAuthFix: "Use the provider's submission port (465 or 587) for logged-in sending; port 25 is for servers delivering to their MX.",
  },
  zh: {
    refused: (step: string, reply: string, meaning: string) => `${step} 被拒绝：“${reply}” — ${meaning}`,
    unknownReply: 'presend 不认识的回复',
    refusedBy: (step: string, host: string, reply: string, hint: string) => `${step} 被 ${host} 拒绝：“${reply}” — 这是该服务器自己的回复，不是某服务商的；${hint}`,
    readsLike: (provider: string, code: string, meaning: string) => `其含义与${provider}的 ${code} 相同：${meaning}`,
    noConnect: (reason: string) => `无法检查发信路径：${reason}。这不代表被拒绝。`,
    noConnectFix: '许多云服务商封锁出站 25 端口；提交发信请用 465（隐式 TLS）或 587（STARTTLS）。请检查主机、端口与防火墙。',
    stopped: (step: string, reason: string) => `会话在 ${step} 中断：${reason}。之后的步骤未检查。`,
    noTls: '服务器未提供 STARTTLS：登录信息与邮件将以明文经过网络。',
    noTlsFix: '使用带 TLS 的端口（465 隐式、587 STARTTLS），或使用提供 STARTTLS 的服务器。',
    certificate: (error: string, subject: string) => `服务器证书无法验证（${error}；主体 ${subject}）：校验证书的客户端会拒绝该服务器。`,
    certificateFix: '为该主机名安装公共 CA 签发的证书，并按时续期。',
    oldTls: (protocol: string) => `服务器协商的是 ${protocol}；TLS 1.2 是最低要求（RFC 8996）。`,
    oldTlsFix: '在服务器上启用 TLS 1.2 或 1.3。',
    protocol: (step: string, reason: string) => `服务器在 ${step} 违反了 SMTP 协议：${reason}。任何邮件客户端都无法经它发信。`,
    protocolFix: '确认该主机与端口确是 SMTP 服务器（而非网页服务器或代理），以及在此应答的是什么。',
    tlsFailed: (step: string, reason: string) => `无法在 ${step} 建立 TLS：${reason}。presend 未经其发送任何内容——没有凭据，也没有信封。`,
    tlsFailedFix: '为该主机名使用公共 CA 签发的证书；私有 CA 请用 --ca-file <pem> 指定；--insecure 可在证书无法验证时继续（绝不明文）。',
    withheld: (reason: string) => `presend 没有发送密码：${reason}。设置为在此登录的邮件客户端会把密码交给路径上的任何人。`,
    withheldFix: '在证书可验证的 TLS 端口登录：465（隐式 TLS）或 587（STARTTLS）；私有 CA 用 --ca-file <pem>；--insecure 接受无法验证的证书，但绝不明文。',
    noAuth: (reason: string, tls: boolean) => `该端口${tls ? '' : '在 STARTTLS 之前'}不提供登录：${reason}。设置为在此登录的客户端会失败。`,
    noAuthFix: '登录发信请用服务商的提交端口（465 或 587）；25 端口用于服务器向其 MX 投递。',
  },
} as const;

const OLD_TLS = new Set(['SSLv3', 'TLSv1', 'TLSv1.1']);

/** `profiles`: the catalogues a refused step is read against (the provider is the one the reply's marks name, as `explain` does). */
/**
 * The provider whose server answered: by the host's name (one of the provider's domains, or
 * its host patterns) or by its marks in how the server introduced itself (greeting, EHLO) —
 * not in its refusals, which echo the sender's address (`me@163.com`) whoever the server is.
 */
export function answeringProvider(host: string, steps: DryRun['steps'], profiles: readonly Profile[]): Profile | undefined {
  const name = host.toLowerCase();
  const said = steps.filter((s) => s.step === 'greeting' || s.step === 'EHLO' || s.step === 'HELO').map((s) => s.reply).join('\n');
  return profiles.find(
    (p) => p.domains.some((d) => name === d || name.endsWith(`.${d}`)) || p.hostMarks.some((m) => m.pattern.test(name)) || p.providerMarks.some((m) => m.test(name) || m.test(said)),
  );
}

export function dryRunReport(run: DryRun, o: DryRunOptions, profiles: readonly Profile[], lang: Lang, startedAt: number): Report {
  const w = words[lang];
  const findings: Finding[] = [];
  const primary = profiles[0]!.provider;
  const finding = (rule: string, severity: Finding['severity'], message: string, remedy: string, evidence: Record<string, unknown>, code: string | null = null, token: string | null = null, provider = primary): Finding => ({
    rule,
    severity,
    provider,
    code,
    token,
    message,
    remedy,
    evidence,
    check: 'smtp',
  });
  const answering = answeringProvider(o.host, run.steps, profiles);
  for (const step of run.steps.filter((s) => s.status >= 400)) {
    const e = explainAcross(step.reply, profiles, lang);
    const evidence = { step: step.step, command: step.command, reply: step.reply, ...(e.side ? { side: e.side } : {}) };
    // A provider's code only for the provider's own server; any other server's reply is its own, with the nearest catalogue meaning as a hint.
    if (e.known && answering?.provider === e.provider) {
      const code = e.code ?? (e.token ? `${step.status} ${e.token}` : null);
      findings.push(finding('smtp-step-refused', 'error', w.refused(step.step, step.reply, e.meaning ?? w.unknownReply), e.remedy ?? '', evidence, code, e.token, e.provider));
    } else {
      const like = e.known ? profiles.find((p) => p.provider === e.provider) : undefined;
      const hint = like ? w.readsLike(like.label[lang], e.code ?? e.token ?? '', e.meaning ?? '') : w.unknownReply;
      findings.push(finding('smtp-step-refused', 'error', w.refusedBy(step.step, o.host, step.reply, hint), e.remedy ?? '', evidence, null, null, answering?.provider ?? primary));
    }
  }
  const stop = run.stopped;
  const where = stop ? { host: o.host, port: o.port, step: stop.step, reason: stop.reason } : {};
  if (stop?.kind === 'connect') findings.push(finding('smtp-could-not-connect', 'warning', w.noConnect(stop.reason), w.noConnectFix, where));
  else if (stop?.kind === 'timeout' || stop?.kind === 'closed') findings.push(finding('smtp-could-not-finish', 'warning', w.stopped(stop.step, stop.reason), w.noConnectFix, where));
  else if (stop?.kind === 'protocol') findings.push(finding('smtp-protocol-error', 'error', w.protocol(stop.step, stop.reason), w.protocolFix, where));
  else if (stop?.kind === 'tls') findings.push(finding('smtp-tls-failed', 'error', w.tlsFailed(stop.step, stop.reason), w.tlsFailedFix, where));
  else if (stop?.kind === 'credentials-withheld') findings.push(finding('smtp-credentials-withheld', 'error', w.withheld(stop.reason), w.withheldFix, where));
  else if (stop?.kind === 'auth-not-offered') findings.push(finding('smtp-auth-not-offered', 'error', w.noAuth(stop.reason, run.tls !== null), w.noAuthFix, where));
  const connected = run.steps.length > 0;
  // A TLS that failed was offered: that failure is the finding, not a missing STARTTLS.
  if (connected && run.tls === null && o.tls !== 'none' && run.stopped?.kind !== 'tls') findings.push(finding('smtp-no-tls', 'warning', w.noTls, w.noTlsFix, { host: o.host, port: o.port }));
  if (run.tls && !run.tls.authorized) findings.push(finding('smtp-tls-certificate', 'warning', w.certificate(run.tls.authorizationError ?? 'unverified', run.tls.subject ?? '?'), w.certificateFix, { ...run.tls }));
  if (run.tls?.protocol && OLD_TLS.has(run.tls.protocol)) findings.push(finding('smtp-tls-version', 'warning', w.oldTls(run.tls.protocol), w.oldTlsFix, { protocol: run.tls.protocol }));
  const ms = Math.round(nowMs() - startedAt);
  return {
    target: { kind: 'smtp', domain: o.host, helo: o.helo, mailFrom: o.mailFrom, mailFromSource: 'flag', from: o.mailFrom, port: o.port, ...(o.user !== undefined ? { user: o.user } : {}) },
    verdict: verdictOf(findings),
    findings,
    checks: [{ check: 'smtp', status: findings.some((f) => f.severity === 'error') ? 'fail' : findings.length > 0 ? 'warn' : 'pass', ms }],
    notes: [],
    dns: { queries: 0, trace: [] },
    smtp: { steps: run.steps, tls: run.tls ? { ...run.tls } : null },
  };
}
