import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { FailOn } from '../engine/verdict.js';
import type { SessionOptions } from '../engine/session.js';
import type { Lang, Report } from '../engine/types.js';
import { safeLine } from '../report/safe-text.js';
import type { ColorChoice } from '../report/style.js';
import { parseCount } from '../engine/inputs.js';
import type { PresendConfig } from '../config/schema.js';

export interface CommonOptions {
  format: string;
  output?: string;
  lang?: string;
  failOn?: string;
  resolver?: string[];
  zone?: string[];
  timeout?: string;
  offline?: boolean;
  config?: string;
  color?: ColorChoice;
  verbose?: boolean;
  provider?: string;
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addCommonOptions(command: Command, formats: string[]): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices(formats).default('text'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--lang <lang>', 'language of messages (default from LANG)').choices(['en', 'zh']))
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at or above this level (default error)').choices(['error', 'warning', 'never']))
    .option('--resolver <host[:port]>', 'DNS server to ask (repeatable; default: the system resolver)', collect)
    .option('--zone <file>', 'RFC 1035 zone file that answers authoritatively for its origin (repeatable)', collect)
    .option('--timeout <ms>', 'per-query DNS timeout in milliseconds (default 5000)')
    .option('--offline', 'send no DNS query to the network; only --zone files answer')
    .option('--verbose', 'text: show the fix and the evidence under every finding')
    .addOption(new Option('--color <when>', 'colour the text report: auto (a terminal, FORCE_COLOR, NO_COLOR), always or never').choices(['auto', 'always', 'never']).default('auto'))
    .option('--provider <names>', providerHelp)
    .option('--config <file>', "take provider, resolvers, blocklists, limits, rule overrides and ignores from a presend config (its targets are for `presend check`)");
}

export const providerHelp = 'the providers to answer for: netease (default), gmail, a comma list, all, or a profile YAML';

export function langOf(option: string | undefined, env: NodeJS.ProcessEnv): Lang {
  if (option === 'zh' || option === 'en') return option;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh' : 'en';
}

export interface FlagSettings {
  session: SessionOptions;
  limits: { maxMessageSize?: string; maxRecipients?: string };
  lang: Lang;
  failOn: FailOn;
  /** The config's account, for commands that send drafts (a flag overrides it). */
  account?: string;
  /** The config's `sink` section, for `presend sink`. */
  sink?: NonNullable<PresendConfig['sink']>;
}

/**
 * The session the DNS-checking commands build: from --config when given, each flag on
 * the command line overriding the config's value.
 */
export async function settingsFromFlags(options: CommonOptions & { dnsbl?: string[]; maxMessageSize?: string; maxRecipients?: string }): Promise<FlagSettings> {
  let base: { session: Omit<SessionOptions, 'lang'>; limits: FlagSettings['limits']; lang?: Lang; failOn?: FailOn; account?: string; sink?: FlagSettings['sink'] } = { session: { servers: [], zoneFiles: [], offline: false }, limits: {} };
  const providers = options.provider !== undefined ? (await import('../profile/providers.js')).profilePathsFor(options.provider) : undefined;
  if (options.config !== undefined) {
    const [{ findConfig, loadConfig }, { configSettings }] = await Promise.all([import('../config/load.js'), import('../config/plan.js')]);
    const loaded = loadConfig(findConfig(options.config)!);
    base = { ...configSettings(loaded), lang: loaded.config.lang, failOn: loaded.config.failOn, ...(loaded.config.sink ? { sink: loaded.config.sink } : {}) };
  }
  const { lang, failOn } = reportingOf(options, base);
  await ensureProfileValidators(providers ?? base.session.profilePaths);
  return {
    lang,
    failOn,
    ...(base.account !== undefined ? { account: base.account } : {}),
    ...(base.sink !== undefined ? { sink: base.sink } : {}),
    session: {
      ...base.session,
      ...(providers ? { profilePaths: providers } : {}),
      lang,
      servers: options.resolver ?? base.session.servers,
      timeoutMs: options.timeout !== undefined ? timeoutOf(options.timeout) : (base.session.timeoutMs ?? timeoutOf(undefined)),
      zoneFiles: [...base.session.zoneFiles, ...(options.zone ?? [])],
      offline: options.offline ?? base.session.offline,
      dnsbl: options.dnsbl ?? base.session.dnsbl,
    },
    limits: {
      ...base.limits,
      ...(options.maxMessageSize !== undefined ? { maxMessageSize: options.maxMessageSize } : {}),
      ...(options.maxRecipients !== undefined ? { maxRecipients: options.maxRecipients } : {}),
    },
  };
}

/**
 * The zod validators, loaded only when a profile — or the blocklists, for the commands that
 * query them — has no compiled form that matches (see profile/load.ts).
 */
export async function ensureProfileValidators(profilePaths: readonly string[] | undefined, { blocklists = true } = {}): Promise<void> {
  const [{ defaultProfilePath, ensureValidators }, dnsbl] = await Promise.all([import('../profile/load.js'), blocklists ? import('../profile/dnsbl.js') : undefined]);
  await ensureValidators([...(profilePaths ?? [defaultProfilePath()]), ...(dnsbl ? [dnsbl.defaultDnsblPath()] : [])]);
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
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  try {
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, text);
  } catch (err) {
    throw new UsageError(`${option}: cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
