/** The command definitions' shared options: what every checking command accepts (their runs are in run/). */
import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { ColorChoice } from '../report/style.js';

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
  compact?: boolean;
  provider?: string;
}

/** The real spam filters a draft-checking command may ask (eml, check, sink). */
export interface EngineFlags {
  rspamd?: string;
  spamd?: string;
}

export function addEngineOptions(command: Command): Command {
  return command
    .option('--rspamd <url>', "also ask rspamd (its /checkv2, e.g. http://127.0.0.1:11333) and report its verdict beside presend's")
    .option('--spamd <host[:port]>', "also ask SpamAssassin's spamd (e.g. 127.0.0.1:783) and report its verdict beside presend's");
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addCommonOptions(command: Command, formats: string[]): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices(formats).default('text'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--lang <lang>', 'language of messages (default from LANG)').choices(['en', 'zh']))
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at or above this level (default error)').choices(['error', 'warning', 'never']))
    .option('--resolver <host[:port]>', 'DNS server to ask (repeatable; default: the system resolver)', collect)
    .option('--zone <path...>', 'RFC 1035 zone files, or folders of *.zone files, that answer authoritatively for their origins')
    .option('--timeout <ms>', 'per-query DNS timeout in milliseconds (default 5000)')
    .option('--offline', 'send no DNS query to the network; only --zone files answer')
    .option('--verbose', 'text: show the fix and the evidence under every finding')
    .option('--compact', 'text: one line a target, then what is the same for every target and the summary (the default past 20 targets)')
    .addOption(new Option('--color <when>', 'colour the text report: auto (a terminal, FORCE_COLOR, NO_COLOR), always or never').choices(['auto', 'always', 'never']).default('auto'))
    .option('--provider <names>', providerHelp)
    .option('--config <file>', "take provider, resolvers, blocklists, limits, rule overrides and ignores from a presend config (its targets are for `presend check`)");
}

/**
 * `--zone` takes several paths, so one given before the command's own arguments takes them
 * too (`presend eml --zone z.zone draft.eml`): of its values, those after the last folder or
 * `*.zone` file are handed back. Called only when the command got none of its own.
 */
export function takeSwallowedByZone(options: { zone?: string[] }): string[] {
  const values = options.zone ?? [];
  let split = values.length;
  while (split > 0 && !looksLikeZone(values[split - 1]!)) split--;
  options.zone = values.slice(0, split);
  return values.slice(split);
}

function looksLikeZone(path: string): boolean {
  if (path.endsWith('.zone')) return true;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export const providerHelp = 'the providers to answer for: netease (default), gmail, a comma list, all, or a profile YAML';

