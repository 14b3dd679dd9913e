/** `presend check`: every target of a presend config, one combined report. */
import { UsageError } from '../../errors.js';
import { findConfig, loadConfig } from '../../config/load.js';
import { planConfig } from '../../config/plan.js';
import { parseCount } from '../../engine/inputs.js';
import { mapConcurrent } from '../../engine/pool.js';
import { assertAccountProvider, checkTarget, createSession } from '../../engine/session.js';
import { runEngines } from '../../engines/options.js';
import { runExitStatus, unreadableReport } from '../../engine/verdict.js';
import { profilePathsFor } from '../../profile/providers.js';
import type { CheckOptions } from '../check.js';
import { reportFormats } from '../formats.js';
import { emit, reportingOf, tellUnchecked, timeoutOf } from './common.js';
import { boundHeapGrowth } from './heap.js';
import { renderReports } from './render.js';

export async function runCheck(options: CheckOptions): Promise<void> {
  boundHeapGrowth();
  // Extra outputs are checked before any target runs.
  const extra = (options.also ?? []).map((spec) => {
    const m = /^([a-z]+)=(.+)$/.exec(spec);
    if (!m || !reportFormats.includes(m[1]!)) throw new UsageError(`--also ${spec}: expected <format>=<file> with a format of ${reportFormats.join(', ')}`);
    return { format: m[1]!, file: m[2]! };
  });
  const file = findConfig(options.config);
  if (!file) throw new UsageError(`check: no presend.config.yaml, .yml or .json in ${process.cwd()} or a folder above it within its repository; pass --config <file>`);
  const loaded = loadConfig(file);
  const plan = await planConfig(loaded);
  const { lang, failOn } = reportingOf(options, loaded.config);
  const offline = options.offline === true || plan.session.offline;
  const session = createSession({
    ...plan.session,
    contentEngines: runEngines(plan.session.contentEngines, options, offline),
    lang,
    ...(options.resolver ? { servers: options.resolver } : {}),
    ...(options.zone ? { zoneFiles: [...plan.session.zoneFiles, ...options.zone] } : {}),
    ...(options.timeout !== undefined ? { timeoutMs: timeoutOf(options.timeout) } : {}),
    ...(options.offline ? { offline: true } : {}),
    ...(options.provider !== undefined ? { profilePaths: profilePathsFor(options.provider) } : {}),
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
  const render = (format: string, toFile: boolean) => renderReports(reports, { format, lang, toFile, profiles: session.profiles, failOn, helpBaseUri: loaded.config.helpBaseUri, color: options.color, verbose: options.verbose, ...(options.compact ? { compact: true } : {}), configFile: file });
  for (const out of extra) emit(render(out.format, true), out.file, `--also ${out.format}=${out.file}`);
  emit(render(options.format, options.output !== undefined), options.output);
  tellUnchecked(reports);
  process.exitCode = runExitStatus(reports, failOn);
}
