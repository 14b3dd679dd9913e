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
    noConnect: (reason: string) => `Could not check the send path: ${reason}. This is not a refusal.`,
    noConnectFix: 'Many cloud providers block outbound port 25; submission uses 465 (implicit TLS) or 587 (STARTTLS). Check the host, port and firewall.',
    stopped: (step: string, reason: string) => `The dialogue stopped at ${step}: ${reason}. What follows was not checked.`,
    noTls: 'The server offered no STARTTLS: the login and the mail would cross the network in clear.',
    noTlsFix: 'Use a port with TLS (465 implicit, 587 STARTTLS) or a server that offers STARTTLS.',
    certificate: (error: string, subject: string) => `The server's certificate does not verify (${error}; subject ${subject}): clients that check certificates refuse this server.`,
    certificateFix: 'Install a certificate for this host name from a public CA, and keep it renewed.',
    oldTls: (protocol: string) => `The server negotiated ${protocol}; TLS 1.2 is the minimum (RFC 8996).`,
    oldTlsFix: 'Enable TLS 1.2 or 1.3 on the server.',
  },
  zh: {
    refused: (step: string, reply: string, meaning: string) => `${step} 被拒绝：“${reply}” — ${meaning}`,
    unknownReply: 'presend 不认识的回复',
    noConnect: (reason: string) => `无法检查发信路径：${reason}。这不代表被拒绝。`,
    noConnectFix: '许多云服务商封锁出站 25 端口；提交发信请用 465（隐式 TLS）或 587（STARTTLS）。请检查主机、端口与防火墙。',
    stopped: (step: string, reason: string) => `会话在 ${step} 中断：${reason}。之后的步骤未检查。`,
    noTls: '服务器未提供 STARTTLS：登录信息与邮件将以明文经过网络。',
    noTlsFix: '使用带 TLS 的端口（465 隐式、587 STARTTLS），或使用提供 STARTTLS 的服务器。',
    certificate: (error: string, subject: string) => `服务器证书无法验证（${error}；主体 ${subject}）：校验证书的客户端会拒绝该服务器。`,
    certificateFix: '为该主机名安装公共 CA 签发的证书，并按时续期。',
    oldTls: (protocol: string) => `服务器协商的是 ${protocol}；TLS 1.2 是最低要求（RFC 8996）。`,
    oldTlsFix: '在服务器上启用 TLS 1.2 或 1.3。',
  },
} as const;

const OLD_TLS = new Set(['SSLv3', 'TLSv1', 'TLSv1.1']);

/** `profiles`: the catalogues a refused step is read against (the provider is the one the reply's marks name, as `explain` does). */
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
  for (const step of run.steps.filter((s) => s.status >= 400)) {
    const e = explainAcross(step.reply, profiles, lang);
    const code = e.code ?? (e.token ? `${step.status} ${e.token}` : null);
    findings.push(
      finding('smtp-step-refused', 'error', w.refused(step.step, step.reply, e.meaning ?? w.unknownReply), e.remedy ?? '', { step: step.step, command: step.command, reply: step.reply, ...(e.side ? { side: e.side } : {}) }, code, e.token, e.known ? e.provider : primary),
    );
  }
  if (run.stopped && !run.steps.some((s) => s.status >= 400)) {
    const atConnect = run.stopped.step === 'connect';
    findings.push(finding(atConnect ? 'smtp-could-not-connect' : 'smtp-could-not-finish', 'warning', atConnect ? w.noConnect(run.stopped.reason) : w.stopped(run.stopped.step, run.stopped.reason), w.noConnectFix, { host: o.host, port: o.port, step: run.stopped.step, reason: run.stopped.reason }));
  }
  const connected = run.steps.length > 0;
  if (connected && run.tls === null && o.tls !== 'none') findings.push(finding('smtp-no-tls', 'warning', w.noTls, w.noTlsFix, { host: o.host, port: o.port }));
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
