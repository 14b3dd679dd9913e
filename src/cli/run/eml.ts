/** `presend eml`: the drafts read and checked, one report each. */
import { UsageError } from '../../errors.js';
import { checkDrafts } from '../../engine/drafts.js';
import { parseCount } from '../../engine/inputs.js';
import { assertAccountProvider, createSession } from '../../engine/session.js';
import { runExitStatus } from '../../engine/verdict.js';
import { readMessage } from '../../message/read.js';
import { profilePathsFor, providerOfAddress } from '../../profile/providers.js';
import type { EmlOptions } from '../eml.js';
import { takeSwallowedByZone } from '../common.js';
import { emit, tellUnchecked } from './common.js';
import { settingsFromFlags } from './settings.js';
import { boundHeapGrowth } from './heap.js';
import { renderReports } from './render.js';

export async function runEml(given: string[], options: EmlOptions): Promise<void> {
  let files = given.length > 0 ? given : takeSwallowedByZone(options);
  const settings = await settingsFromFlags(options);
  const { lang, failOn } = settings;
  const envelope = {
    ip: options.ip,
    helo: options.helo,
    mailFrom: options.mailFrom,
    from: options.from,
    rcpt: options.rcpt,
    dkimSelectors: options.dkimSelector,
    offline: settings.session.offline,
    ...settings.limits,
    bulk: options.bulk,
    account: options.account ?? settings.account,
  };
  // `--rcpt a@163.com draft.eml`: the variadic --rcpt took the file; an address always has an @, a file name is taken back.
  if (files.length === 0 && options.rcpt) {
    files = options.rcpt.filter((r) => !r.includes('@'));
    envelope.rcpt = options.rcpt.filter((r) => r.includes('@'));
  }
  if (files.length === 0) throw new UsageError('eml: give draft files (or - for standard input)');
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('eml: standard input (-) can be given once');
  // The account's domain picks the provider when neither --provider nor a config named one.
  if (envelope.account !== undefined && options.provider === undefined && options.config === undefined) {
    const provider = providerOfAddress(envelope.account);
    if (provider) settings.session.profilePaths = profilePathsFor(provider);
  }
  if (files.length > 1) boundHeapGrowth();
  const session = createSession(settings.session);
  assertAccountProvider(session, envelope.account);
  const reports = await checkDrafts(session, files, envelope, parseCount(options.concurrency, '--concurrency'), readMessage);
  emit(renderReports(reports, { format: options.format, lang, toFile: options.output !== undefined, profiles: session.profiles, failOn, color: options.color, verbose: options.verbose, ...(options.compact ? { compact: true } : {}) }), options.output);
  tellUnchecked(reports);
  process.exitCode = runExitStatus(reports, failOn);
}
