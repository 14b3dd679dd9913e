import { Command, Option } from 'commander';
import { addEngineOptions, collect, providerHelp, type EngineFlags } from './common.js';
import { reportFormats } from './formats.js';

export interface CheckOptions extends EngineFlags {
  config?: string;
  resolver?: string[];
  zone?: string[];
  timeout?: string;
  offline?: boolean;
  provider?: string;
  color?: 'auto' | 'always' | 'never';
  verbose?: boolean;
  compact?: boolean;
  also?: string[];
  format: string;
  output?: string;
  lang?: string;
  failOn?: string;
  concurrency: string;
}

export function checkCommand(): Command {
  const command = new Command('check')
    .description('run every target of presend.config.yaml (domains and draft globs) into one combined report')
    .option('--config <file>', 'the config file (default: presend.config.yaml, .yml or .json in the working directory)')
    .addOption(new Option('--format <format>', 'output format').choices(reportFormats).default('text'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--lang <lang>', 'language of messages (default: the config, else LANG)').choices(['en', 'zh']))
    .addOption(new Option('--fail-on <level>', 'exit 1 at or above this level (default: the config, else error)').choices(['error', 'warning', 'never']))
    .addOption(new Option('--concurrency <n>', 'targets checked at once').default('8', '8'))
    .option('--also <format=file>', 'also write the same run in another format, e.g. sarif=presend.sarif (repeatable)', collect)
    .option('--resolver <host[:port]>', "DNS server to ask (repeatable; overrides the config's resolvers)", collect)
    .option('--zone <file>', 'RFC 1035 zone file that answers authoritatively for its origin (repeatable; added to the config\'s zones)', collect)
    .option('--timeout <ms>', 'per-query DNS timeout in milliseconds')
    .option('--offline', 'send no DNS query to the network; only zone files answer')
    .option('--provider <names>', providerHelp)
    .addOption(new Option('--color <when>', 'colour the text report: auto, always or never').choices(['auto', 'always', 'never']).default('auto'))
    .option('--verbose', 'text: show the fix and the evidence under every finding')
    .option('--compact', 'text: one line a target, then what is the same for every target and the summary (the default past 20 targets)');
  return addEngineOptions(command).action(async (options: CheckOptions) => (await import('./run/check.js')).runCheck(options));
}
