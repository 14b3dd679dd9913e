/**
 * `presend domain`: what reading the targets and asking a single domain's first questions
 * needs loads with the command; the checks and the report after those questions are out.
 */
import { UsageError } from '../../errors.js';
import { fileLimits, readStdin, readTextFile } from '../../files.js';
import { dnssecWindow, wireWindow } from '../../dns/client.js';
import { parseDomainList, type DomainLine } from '../../engine/domain-list.js';
import { domainInputs, parseCount } from '../../engine/inputs.js';
import { warmedUpClient } from '../../engine/resolver.js';
import type { DomainOptions } from '../domain.js';
import { takeSwallowedByZone } from '../common.js';
import { emit } from './common.js';
import { settingsFromFlags } from './settings.js';
import { stdoutStream } from '../stdout.js';
import { boundHeapGrowth } from './heap.js';

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

export async function runDomain(given: string[], options: DomainOptions): Promise<void> {
  const domains = given.length > 0 || options.file !== undefined ? given : [...takeSwallowedByZone(options), ...takeSwallowedDomains(options)];
  if ((domains.length === 0) === (options.file === undefined)) throw new UsageError('domain: give domains or --file domains.txt (one of the two)');
  const settings = await settingsFromFlags(options);
  const { lang, failOn } = settings;
  const envelope = { ip: options.ip, helo: options.helo, mailFrom: options.mailFrom, from: options.from, dkimSelectors: options.dkimSelector, offline: settings.session.offline, ...settings.limits };
  const listName = options.file === '-' ? 'stdin' : options.file;
  const listed: DomainLine[] = options.file ? parseDomainList(await readList(options.file), listName!) : domains.map((domain, i) => ({ domain, line: i + 1 }));
  // Each keeps its place in the whole list, so shards and streamed lines can be put back in order.
  const all = listed.map((l, i) => ({ ...l, position: i + 1 }));
  const lines = options.shard === undefined ? all : shardOf(all, options.shard);
  if (options.maxInflight !== undefined) for (const window of [wireWindow, dnssecWindow]) window.cap(parseCount(options.maxInflight, '--max-inflight'));
  // Every line is validated before the first query goes out.
  const targets = lines.map((l) => {
    try {
      const inputs = domainInputs(l.domain, { ...envelope, ...('ip' in l ? { ip: l.ip } : {}), ...('helo' in l ? { helo: l.helo } : {}) });
      // A domain from a list points its findings at its line there (SARIF, annotations).
      return options.file && options.file !== '-' ? { ...inputs, source: { file: options.file, line: l.line } } : inputs;
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
    // The checks and the report load once a single domain's first questions are out (engine/resolver.ts).
    const { checkTarget, createSession, exitStatus, renderReports, ndjsonLine, forEachConcurrent, progressBar } = await import('./domain-checks.js');
    const session = createSession(settings.session);
    const progress = progressBar(targets.length);
    const streaming = options.format === 'ndjson' && options.output === undefined;
    const reports: Awaited<ReturnType<typeof checkTarget>>[] = [];
    let failed = false;
    let unjudged = false;
    await forEachConcurrent(targets, concurrency, (inputs) => checkTarget(session, inputs, warmed), (report, index) => {
      progress.tick();
      failed ||= exitStatus(report.findings, failOn) === 1;
      unjudged ||= report.couldNotJudge !== undefined;
      // NDJSON to stdout streams: each report is written as it finishes, with where it came from so the order can be restored.
      if (streaming) stdoutStream().write(ndjsonLine(report, { index: lines[index]!.position, ...(listName ? { source: `${listName}:${lines[index]!.line}` } : {}) }));
      else reports[index] = report;
    });
    progress.done();
    if (!streaming) emit(renderReports(reports, { format: options.format, lang, toFile: options.output !== undefined, profiles: session.profiles, failOn, color: options.color, verbose: options.verbose, ...(options.compact ? { compact: true } : {}) }), options.output);
    process.exitCode = failed ? 1 : unjudged && failOn !== 'never' ? 3 : 0;
  } finally {
    warmed?.close();
  }
}
