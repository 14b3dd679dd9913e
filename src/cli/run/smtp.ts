/** `presend smtp`: a dry run of a real send path, stopped before DATA. */
import { nowMs } from '../../clock.js';
import { UsageError } from '../../errors.js';
import { exitStatus } from '../../engine/verdict.js';
import { envelopeAddressProblem } from '../../message/address.js';
import { loadProfiles } from '../../profile/load.js';
import { profilePathsFor } from '../../profile/providers.js';
import { dryRun } from '../../smtp/dialogue.js';
import { answeringProvider, dryRunReport } from '../../smtp/report.js';
import type { SmtpFlags } from '../smtp.js';
import { caCertificates, emit, reportingOf, timeoutOf } from './common.js';
import { renderReports } from './render.js';

/** `host[:port]`, `[v6]:port`; port 25 unless given. */
function parseTarget(spec: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:\s]+))(?::(\d+))?$/.exec(spec.trim());
  const host = m?.[1] ?? m?.[2];
  const port = m?.[3] === undefined ? 25 : Number(m[3]);
  if (!m || !host || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`smtp ${spec}: expected host[:port], e.g. smtp.163.com:465`);
  return { host, port };
}

/** The password: PRESEND_SMTP_PASSWORD, else asked on the terminal without echo; never printed or reported. */
async function password(user: string | undefined): Promise<string | undefined> {
  if (user === undefined) return undefined;
  if (process.env.PRESEND_SMTP_PASSWORD !== undefined) return process.env.PRESEND_SMTP_PASSWORD;
  if (!process.stdin.isTTY) throw new UsageError('smtp --user: set PRESEND_SMTP_PASSWORD (no terminal to ask on)');
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Echo nothing of what is typed: only the prompt itself is written.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
    if (s.startsWith('Password')) process.stderr.write(s);
  };
  const answer = await new Promise<string>((resolve) => rl.question(`Password for ${user}: `, resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}


export async function runSmtp(spec: string, flags: SmtpFlags): Promise<void> {
  const { host, port } = parseTarget(spec);
  const given = flags.mailFrom ?? flags.user;
  if (given === undefined) throw new UsageError('smtp: give --mail-from (or --user, which it defaults to)');
  // `<>` or "" is the null reverse-path (RFC 5321 §4.5.5): the bounce path, dry-run as MAIL FROM:<>.
  const mailFrom = given.trim() === '<>' ? '' : given.trim();
  const addresses: [string, string][] = [...(mailFrom === '' ? [] : [['--mail-from', mailFrom] as [string, string]]), ...(flags.rcpt ?? []).map((r) => ['--rcpt', r] as [string, string])];
  for (const [option, address] of addresses) {
    const problem = envelopeAddressProblem(address);
    if (problem) throw new UsageError(`${option} ${JSON.stringify(address)}: ${problem.en}`);
  }
  const { lang, failOn } = reportingOf(flags, {});
  // A refused step is read against every catalogue (or the ones named): the server's own marks name its provider.
  const paths = flags.profile ? [flags.profile] : profilePathsFor(flags.provider ?? 'all');
  const profiles = await loadProfiles(paths);
  const ca = flags.caFile === undefined ? undefined : caCertificates(flags.caFile);
  const options = { host, port, helo: flags.helo, tls: flags.tls, ...(flags.user !== undefined ? { user: flags.user, password: await password(flags.user) } : {}), mailFrom, rcpt: flags.rcpt ?? [], timeoutMs: timeoutOf(flags.timeout), ca, insecure: flags.insecure === true };
  const started = nowMs();
  const report = dryRunReport(await dryRun(options), options, profiles, lang, started);
  // The report names the provider whose server this is (as the findings were judged), and any whose code a finding carries.
  const server = answeringProvider(host, report.smtp?.steps ?? [], profiles);
  const answering = profiles.filter((p) => p === server || report.findings.some((f) => f.provider === p.provider && f.code !== null));
  emit(renderReports([report], { format: flags.format, lang, toFile: flags.output !== undefined, profiles: answering.length > 0 ? answering : profiles.slice(0, 1), failOn, color: flags.color, verbose: flags.verbose }), flags.output);
  process.exitCode = exitStatus(report.findings, failOn);
}
