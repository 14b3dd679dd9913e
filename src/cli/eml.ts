import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { addCommonOptions, emit, settingsFromFlags, tellUnchecked, type CommonOptions } from './common.js';
import { reportFormats } from './formats.js';
import { boundHeapGrowth } from './heap.js';

interface EmlOptions extends CommonOptions {
  ip?: string;
  helo?: string;
  mailFrom?: string;
  from?: string;
  rcpt?: string[];
  dkimSelector?: string[];
  dnsbl?: string[];
  maxMessageSize?: string;
  maxRecipients?: string;
  bulk?: boolean;
  account?: string;
  concurrency: string;
}

export function emlCommand(): Command {
  const command = new Command('eml')
    .description('everything `domain` checks for the draft\'s domains, plus the message: From alignment, attachments, size, recipients, format, DKIM')
    .argument('[file...]', 'draft .eml files (one report each; - reads one from standard input)')
    .option('--ip <addr>', 'sending IPv4 or IPv6 address')
    .option('--helo <name>', 'HELO/EHLO name ("" means an empty HELO)')
    .option('--mail-from <addr>', 'envelope sender (default: Return-Path, else the header From)')
    .option('--from <addr>', "header From to assume instead of the draft's")
    .option('--rcpt <addr...>', 'extra envelope recipients')
    .option('--dkim-selector <selector...>', 'DKIM selectors whose keys to check')
    .option('--dnsbl <zone...>', 'blocklist zones to query instead of the default set')
    .option('--max-message-size <size>', "override the profile's message size limit (e.g. 25MB)")
    .option('--max-recipients <n>', "override the profile's recipients-per-message limit")
    .option('--bulk', 'treat the draft as bulk mail (unsubscribe rules apply)')
    .option('--account <addr>', "the draft goes out through the provider's submission server, logged in as this account (e.g. you@163.com)")
    .addOption(new Option('--concurrency <n>', 'drafts checked at once').default('8'));
  addCommonOptions(command, reportFormats);
  return command.action(async (given: string[], options: EmlOptions) => {
    let files = given;
    // Loaded on use, so `presend --version` and `presend codes` start fast.
    const [{ parseCount }, { checkDrafts }, { assertAccountProvider, createSession }, { runExitStatus }, { readMessage }, { renderReports }] = await Promise.all([
      import('../engine/inputs.js'),
      import('../engine/drafts.js'),
      import('../engine/session.js'),
      import('../engine/verdict.js'),
      import('../message/read.js'),
      import('./render.js'),
    ]);
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
      const { providerOfAddress, profilePathsFor } = await import('../profile/providers.js');
      const provider = providerOfAddress(envelope.account);
      if (provider) settings.session.profilePaths = profilePathsFor(provider);
    }
    if (files.length > 1) boundHeapGrowth();
    const session = createSession(settings.session);
    assertAccountProvider(session, envelope.account);
    const reports = await checkDrafts(session, files, envelope, parseCount(options.concurrency, '--concurrency'), readMessage);
    emit(renderReports(reports, { format: options.format, lang, toFile: options.output !== undefined, profiles: session.profiles, failOn, color: options.color, verbose: options.verbose }), options.output);
    tellUnchecked(reports);
    process.exitCode = runExitStatus(reports, failOn);
  });
}
