import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { fileLimits, readStdin, readTextFile } from '../files.js';
import type { DomainLine } from '../engine/domain-list.js';
import { addCommonOptions, emit, settingsFromFlags, type CommonOptions } from './common.js';
import { reportFormats } from './formats.js';
import { boundHeapGrowth } from './heap.js';

interface DomainOptions extends CommonOptions {
  ip?: string;
  helo?: string;
  mailFrom?: string;
  from?: string;
  dkimSelector?: string[];
  dnsbl?: string[];
  file?: string;
  shard?: string;
  maxInflight?: string;
  concurrency: string;
}

/**
 * `--dkim-selector s2024 shop.example` and `--dnsbl zone shop.example`: a variadic option
 * takes the domain after it. A selector has no top-level label, so trailing dotted values
 * of --dkim-selector are taken back as domains; --dnsbl zones are domains too, so there
 * the user is told how to say it instead.
 */
function takeSwallowedDomains(options: DomainOptions): string[] {
  const selectors = options.dkimSelector ?? [];
  let split = selectors.length;
  while (split > 0 && selectors[split - 1]!.includes('.')) split--;
  if (split < selectors.length) {
    const domains = selectors.slice(split);
    options.dkimSelector = selectors.slice(0, split);
    return domains;
  }
  if ((options.dnsbl ?? []).length > 0) {
    throw new UsageError('domain: --dnsbl takes several zones, so it took the domain too: put the domain first (presend domain shop.example --dnsbl zen.spamhaus.org) or end the list with --');
  }
  return [];
}

/** `K/N` → the K-th of N parts: line i goes to part (i mod N) + 1, so the parts are disjoint, cover the list, and stay in order. */
export function shardOf<T>(lines: readonly T[], spec: string): T[] {
  const m = /^(\d+)\/(\d+)$/.exec(spec.trim());
  const k = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || k < 1 || k > n) throw new UsageError(`--shard ${spec}: expected K/N with 1 ≤ K ≤ N, e.g. 2/8`);
  return lines.filter((_, i) => i % n === k - 1);
}

async function readList(file: string): Promise<string> {
  return file === '-' ? (await readStdin('--file -', fileLimits.domainList)).toString('utf8') : readTextFile(file, `--file ${file}`, fileLimits.domainList);
}

export function domainCommand(): Command {
  const command = new Command('domain')
    .description('DNS-side checks for a sending domain: SPF, DMARC, blocklists, PTR/HELO, sender domain, DKIM keys')
    .argument('[domain...]', 'sending domains (or --file for many)')
    .option('--ip <addr>', 'sending IPv4 or IPv6 address')
    .option('--helo <name>', 'HELO/EHLO name ("" means an empty HELO)')
    .option('--mail-from <addr>', 'envelope sender (default postmaster@<domain>; "" or "<>" is the null sender)')
    .option('--from <addr>', 'header From address (default: the envelope sender)')
    .option('--dkim-selector <selector...>', 'DKIM selectors whose keys to check')
    .option('--dnsbl <zone...>', 'blocklist zones to query instead of the default set')
    .option('--file <domains.txt>', 'check many domains: one "domain[,ip[,helo]]" a line ("-" reads stdin)')
    .option('--shard <K/N>', 'check only the K-th of N deterministic parts of the list (1 ≤ K ≤ N), for N machines or jobs')
    .option('--max-inflight <n>', 'at most this many DNS questions on the wire at once (default: adapts to the resolver, up to 1024)')
    .addOption(new Option('--concurrency <n>', 'domains checked at once with --file').default('64'));
  addCommonOptions(command, reportFormats);
  return command.action(async (given: string[], options: DomainOptions) => {
    // Loaded on use, so `presend --version` and `presend codes` start fast: first what reading
    // the targets and asking a single domain's first questions needs, the checks and the report
    // after those questions are out (engine/resolver.ts).
    const [{ domainInputs, parseCount }, { parseDomainList }, { wireWindow }, { warmedUpClient }] = await Promise.all([
      import('../engine/inputs.js'),
      import('../engine/domain-list.js'),
      import('../dns/client.js'),
      import('../engine/resolver.js'),
    ]);
    const domains = given.length > 0 || options.file !== undefined ? given : takeSwallowedDomains(options);
    if ((domains.length === 0) === (options.file === undefined)) throw new UsageError('domain: give domains or --file domains.txt (one of the two)');
    const settings = await settingsFromFlags(options);
    const { lang, failOn } = settings;
    const envelope = { ip: options.ip, helo: options.helo, mailFrom: options.mailFrom, from: options.from, dkimSelectors: options.dkimSelector, offline: settings.session.offline, ...settings.limits };
    const listName = options.file === '-' ? 'stdin' : options.file;
    const listed: DomainLine[] = options.file ? parseDomainList(await readList(options.file), listName!) : domains.map((domain, i) => ({ domain, line: i + 1 }));
    // Each keeps its place in the whole list, so shards and streamed lines can be put back in order.
    const all = listed.map((l, i) => ({ ...l, position: i + 1 }));
    const lines = options.shard === undefined ? all : shardOf(all, options.shard);
    if (options.maxInflight !== undefined) wireWindow.cap(parseCount(options.maxInflight, '--max-inflight'));
    // Every line is validated before the first query goes out.
    const targets = lines.map((l) => {
      try {
        return domainInputs(l.domain, { ...envelope, ...('ip' in l ? { ip: l.ip } : {}), ...('helo' in l ? { helo: l.helo } : {}) });
      } catch (err) {
        if (err instanceof UsageError && listName) throw new UsageError(`${listName}:${l.line}: ${err.message}`);
        throw err;
      }
    });
    const concurrency = parseCount(options.concurrency, '--concurrency');
    if (targets.length > 1) boundHeapGrowth();
    const warmed = targets.length === 1 ? await warmedUpClient(settings.session, targets[0]!) : undefined;
    // Whatever stops the run from here, a warmed-up question still on the wire must not keep the process waiting for its timeout.
    try {
      const [{ checkTarget, createSession }, { exitStatus }, { renderReports, ndjsonLine }, { forEachConcurrent }, { progressBar }] = await Promise.all([
        import('../engine/session.js'),
        import('../engine/verdict.js'),
        import('./render.js'),
        import('../engine/pool.js'),
        import('./progress.js'),
      ]);
      const session = createSession(settings.session);
      const progress = progressBar(targets.length);
      const streaming = options.format === 'ndjson' && options.output === undefined;
      const reports: Awaited<ReturnType<typeof checkTarget>>[] = [];
      let failed = false;
      await forEachConcurrent(targets, concurrency, (inputs) => checkTarget(session, inputs, warmed), (report, index) => {
        progress.tick();
        failed ||= exitStatus(report.findings, failOn) === 1;
        // NDJSON to stdout streams: each report is written as it finishes, with where it came from so the order can be restored.
        if (streaming) process.stdout.write(ndjsonLine(report, { index: lines[index]!.position, ...(listName ? { source: `${listName}:${lines[index]!.line}` } : {}) }));
        else reports[index] = report;
      });
      progress.done();
      if (!streaming) emit(renderReports(reports, { format: options.format, lang, toFile: options.output !== undefined, profiles: session.profiles, failOn, color: options.color, verbose: options.verbose }), options.output);
      process.exitCode = failed ? 1 : 0;
    } finally {
      warmed?.close();
    }
  });
}
