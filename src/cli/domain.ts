import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { fileLimits, readStdin, readTextFile } from '../files.js';
import { addCommonOptions, emit, settingsFromFlags, type CommonOptions } from './common.js';
import { reportFormats } from './formats.js';

interface DomainOptions extends CommonOptions {
  ip?: string;
  helo?: string;
  mailFrom?: string;
  from?: string;
  dkimSelector?: string[];
  dnsbl?: string[];
  file?: string;
  concurrency: string;
}

async function readList(file: string): Promise<string> {
  return file === '-' ? (await readStdin('--file -', fileLimits.domainList)).toString('utf8') : readTextFile(file, `--file ${file}`, fileLimits.domainList);
}

export function domainCommand(): Command {
  const command = new Command('domain')
    .description('DNS-side checks for a sending domain: SPF, DMARC, blocklists, PTR/HELO, sender domain, DKIM keys')
    .argument('[domain]', 'the sending domain (or --file for many)')
    .option('--ip <addr>', 'sending IPv4 or IPv6 address')
    .option('--helo <name>', 'HELO/EHLO name ("" means an empty HELO)')
    .option('--mail-from <addr>', 'envelope sender (default postmaster@<domain>; "" or "<>" is the null sender)')
    .option('--from <addr>', 'header From address (default: the envelope sender)')
    .option('--dkim-selector <selector...>', 'DKIM selectors whose keys to check')
    .option('--dnsbl <zone...>', 'blocklist zones to query instead of the default set')
    .option('--file <domains.txt>', 'check many domains: one "domain[,ip[,helo]]" a line ("-" reads stdin)')
    .addOption(new Option('--concurrency <n>', 'domains checked at once with --file').default('16'));
  addCommonOptions(command, reportFormats);
  return command.action(async (domain: string | undefined, options: DomainOptions) => {
    // Loaded on use, so `presend --version` and `presend codes` start fast.
    const [{ domainInputs, parseCount }, { checkTarget, createSession }, { exitStatus }, { renderReports, ndjsonLine }, { forEachConcurrent }, { parseDomainList }, { progressBar }] =
      await Promise.all([
        import('../engine/inputs.js'),
        import('../engine/session.js'),
        import('../engine/verdict.js'),
        import('./render.js'),
        import('../engine/pool.js'),
        import('../engine/domain-list.js'),
        import('./progress.js'),
      ]);
    if ((domain === undefined) === (options.file === undefined)) throw new UsageError('domain: give a domain or --file domains.txt (one of the two)');
    const settings = await settingsFromFlags(options);
    const { lang, failOn } = settings;
    const envelope = { ip: options.ip, helo: options.helo, mailFrom: options.mailFrom, from: options.from, dkimSelectors: options.dkimSelector, offline: settings.session.offline, ...settings.limits };
    const listName = options.file === '-' ? 'stdin' : options.file;
    const lines = options.file ? parseDomainList(await readList(options.file), listName!) : [{ domain: domain!, line: 0 }];
    // Every line is validated before the first query goes out.
    const targets = lines.map((l) => {
      try {
        return domainInputs(l.domain, { ...envelope, ...('ip' in l ? { ip: l.ip } : {}), ...('helo' in l ? { helo: l.helo } : {}) });
      } catch (err) {
        if (err instanceof UsageError && listName) throw new UsageError(`${listName}:${l.line}: ${err.message}`);
        throw err;
      }
    });
    const session = createSession(settings.session);
    const concurrency = parseCount(options.concurrency, '--concurrency');
    const progress = progressBar(targets.length);
    const streaming = options.format === 'ndjson' && options.output === undefined;
    const reports: Awaited<ReturnType<typeof checkTarget>>[] = [];
    let failed = false;
    await forEachConcurrent(targets, concurrency, (inputs) => checkTarget(session, inputs), (report) => {
      progress.tick();
      failed ||= exitStatus(report.findings, failOn) === 1;
      // NDJSON to stdout streams: each report is written as it finishes and not kept.
      if (streaming) process.stdout.write(ndjsonLine(report));
      else reports.push(report);
    });
    progress.done();
    if (!streaming) emit(renderReports(reports, { format: options.format, lang, toFile: options.output !== undefined, profile: session.profile, failOn }), options.output);
    process.exitCode = failed ? 1 : 0;
  });
}
