import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { collect, emit, providerHelp, reportingOf, tellUnchecked, timeoutOf } from './common.js';
import { reportFormats } from './formats.js';
import { boundHeapGrowth } from './heap.js';

interface CheckOptions {
  config?: string;
  resolver?: string[];
  zone?: string[];
  timeout?: string;
  offline?: boolean;
  provider?: string;
  color?: 'auto' | 'always' | 'never';
  verbose?: boolean;
  also?: string[];
  format: string;
  output?: string;
  lang?: string;
  failOn?: string;
  concurrency: string;
}

export function checkCommand(): Command {
  return new Command('check')
    .description('run every target of presend.config.yaml (domains and draft globs) into one combined report')
    .option('--config <file>', 'the config file (default: presend.config.yaml, .yml or .json in the working directory)')
    .addOption(new Option('--format <format>', 'output format').choices(reportFormats).default('text'))
    .option('--output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--lang <lang>', 'language of messages (default: the config, else LANG)').choices(['en', 'zh']))
    .addOption(new Option('--fail-on <level>', 'exit 1 at or above this level (default: the config, else error)').choices(['error', 'warning', 'never']))
    .addOption(new Option('--concurrency <n>', 'targets checked at once').default('8'))
    .option('--also <format=file>', 'also write the same run in another format, e.g. sarif=presend.sarif (repeatable)', collect)
    .option('--resolver <host[:port]>', "DNS server to ask (repeatable; overrides the config's resolvers)", collect)
    .option('--zone <file>', 'RFC 1035 zone file that answers authoritatively for its origin (repeatable; added to the config\'s zones)', collect)
    .option('--timeout <ms>', 'per-query DNS timeout in milliseconds')
    .option('--offline', 'send no DNS query to the network; only zone files answer')
    .option('--provider <names>', providerHelp)
    .addOption(new Option('--color <when>', 'colour the text report: auto, always or never').choices(['auto', 'always', 'never']).default('auto'))
    .option('--verbose', 'text: show the fix and the evidence under every finding')
    .action(async (options: CheckOptions) => {
      boundHeapGrowth();
      const [{ findConfig, loadConfig }, { planConfig }, { assertAccountProvider, checkTarget, createSession }, { runExitStatus, unreadableReport }, { renderReports }, { mapConcurrent }, { parseCount }] = await Promise.all([
        import('../config/load.js'),
        import('../config/plan.js'),
        import('../engine/session.js'),
        import('../engine/verdict.js'),
        import('./render.js'),
        import('../engine/pool.js'),
        import('../engine/inputs.js'),
      ]);
      // Extra outputs are checked before any target runs.
      const extra = (options.also ?? []).map((spec) => {
        const m = /^([a-z]+)=(.+)$/.exec(spec);
        if (!m || !reportFormats.includes(m[1]!)) throw new UsageError(`--also ${spec}: expected <format>=<file> with a format of ${reportFormats.join(', ')}`);
        return { format: m[1]!, file: m[2]! };
      });
      const file = findConfig(options.config);
      if (!file) throw new UsageError(`check: no presend.config.yaml, .yml or .json in ${process.cwd()} or a folder above it; pass --config <file>`);
      const loaded = loadConfig(file);
      const plan = await planConfig(loaded);
      const { lang, failOn } = reportingOf(options, loaded.config);
      const session = createSession({
        ...plan.session,
        lang,
        ...(options.resolver ? { servers: options.resolver } : {}),
        ...(options.zone ? { zoneFiles: [...plan.session.zoneFiles, ...options.zone] } : {}),
        ...(options.timeout !== undefined ? { timeoutMs: timeoutOf(options.timeout) } : {}),
        ...(options.offline ? { offline: true } : {}),
        ...(options.provider !== undefined ? { profilePaths: (await import('../profile/providers.js')).profilePathsFor(options.provider) } : {}),
      });
      for (const account of [loaded.config.account, ...(loaded.config.targets.drafts ?? []).map((d) => d.account)]) assertAccountProvider(session, account);
      // A draft that cannot be read gets its own error report: the run, and its SARIF, go on.
      const reports = await mapConcurrent(plan.targets, parseCount(options.concurrency, '--concurrency'), async (target) => {
        let inputs;
        try {
          inputs = await target.inputs();
        } catch (err) {
          if (err instanceof UsageError) return unreadableReport(target.label, err.message);
          throw err;
        }
        return checkTarget(session, inputs);
      });
      const render = (format: string, toFile: boolean) => renderReports(reports, { format, lang, toFile, profiles: session.profiles, failOn, helpBaseUri: loaded.config.helpBaseUri, color: options.color, verbose: options.verbose });
      for (const out of extra) emit(render(out.format, true), out.file, `--also ${out.format}=${out.file}`);
      emit(render(options.format, options.output !== undefined), options.output);
      tellUnchecked(reports);
    process.exitCode = runExitStatus(reports, failOn);
    });
}
