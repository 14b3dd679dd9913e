import { Command, Option } from 'commander';
import { addCommonOptions, addEngineOptions, type CommonOptions, type EngineFlags } from './common.js';
import { reportFormats } from './formats.js';

export interface EmlOptions extends CommonOptions, EngineFlags {
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
    .addOption(new Option('--concurrency <n>', 'drafts checked at once').default('8', '8'));
  addEngineOptions(command);
  addCommonOptions(command, reportFormats);
  return command.action(async (given: string[], options: EmlOptions) => (await import('./run/eml.js')).runEml(given, options));
}
