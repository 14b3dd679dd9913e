/** What the commands' runs share: profile validation, reporting choices, output. */
import { parseTrustAnchors } from '../../dnssec/anchors.js';
import type { TrustAnchor } from '../../dnssec/validator.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../../errors.js';
import { fileLimits, readTextFile } from '../../files.js';
import type { FailOn } from '../../engine/verdict.js';
import type { Lang, Report } from '../../engine/types.js';
import { safeLine } from '../../report/safe-text.js';
import { parseCount } from '../../engine/inputs.js';
import { defaultDnsblPath } from '../../profile/dnsbl.js';
import { defaultContentPath } from '../../profile/content-model.js';
import { defaultProfilePath, ensureValidators } from '../../profile/load.js';
import { writeStdout } from '../stdout.js';

export function langOf(option: string | undefined, env: NodeJS.ProcessEnv): Lang {
  if (option === 'zh' || option === 'en') return option;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh' : 'en';
}

/**
 * The zod validators, loaded only when a profile or the blocklists have no compiled form
 * that matches (see profile/load.ts); commands that read only profiles use loadProfiles.
 */
export async function ensureProfileValidators(profilePaths: readonly string[] | undefined): Promise<void> {
  await ensureValidators([...(profilePaths ?? [defaultProfilePath()]), defaultDnsblPath(), defaultContentPath()]);
}

/** Language and fail-on level: the flag, else the config, else LANG and "error". */
export function reportingOf(flags: { lang?: string; failOn?: string }, config: { lang?: Lang; failOn?: FailOn }): { lang: Lang; failOn: FailOn } {
  return { lang: langOf(flags.lang ?? config.lang, process.env), failOn: failOnOf(flags.failOn ?? config.failOn ?? 'error') };
}

/** Ten minutes per question is already far past any resolver's patience; beyond it a timer cannot even be set. */
export const MAX_TIMEOUT_MS = 600_000;

export function timeoutOf(option: string | undefined): number {
  if (option === undefined) return 5000;
  const ms = parseCount(option, '--timeout');
  if (ms > MAX_TIMEOUT_MS) throw new UsageError(`--timeout ${option}: at most ${MAX_TIMEOUT_MS} ms`);
  return ms;
}

export function failOnOf(option: string): FailOn {
  if (option === 'error' || option === 'warning' || option === 'never') return option;
  throw new UsageError(`--fail-on ${option}: expected error, warning or never`);
}

/** Each target that could not be checked is also one line on stderr, whatever the format and wherever the report goes. */
export function tellUnchecked(reports: readonly Report[]): void {
  for (const r of reports) if (r.error !== undefined) process.stderr.write(`presend: ${safeLine(r.error)}\n`);
}

/** The report goes to --output (its folder made if missing) when given, else stdout; an error names the option as typed. */
export function emit(text: string, output: string | undefined, option = `--output ${output}`): void {
  if (output === undefined) {
    writeStdout(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  try {
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, text);
  } catch (err) {
    throw new UsageError(`${option}: cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** `--trust-anchor <file>`: DS records (presentation format) that DNSSEC validation starts from. */
export function trustAnchors(path: string): TrustAnchor[] {
  return parseTrustAnchors(readTextFile(path, `--trust-anchor ${path}`, fileLimits.certificates), `--trust-anchor ${path}`);
}

/** The PEM file given to --ca-file, held to holding at least one certificate. */
export function caCertificates(path: string): string {
  const pem = readTextFile(path, `--ca-file ${path}`, fileLimits.certificates);
  if (!/-----BEGIN CERTIFICATE-----/.test(pem)) throw new UsageError(`--ca-file ${path}: no PEM certificate in it`);
  return pem;
}
