import { Command, Option } from 'commander';
import { addCommonOptions, type CommonOptions } from './common.js';
import { reportFormats } from './formats.js';

export interface DomainOptions extends CommonOptions {
  ip?: string;
  helo?: string;
  mailFrom?: string;
  from?: string;
  dkimSelector?: string[];
  dnsbl?: string[];
  file?: string;
  shard?: string;
  maxInflight?: string;
  caFile?: string;
  mxTls?: boolean;
  trustAnchor?: string;
  concurrency: string;
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
    .option('--mx-tls', 'also connect to every MX on port 25: STARTTLS, its certificate (chain, name, expiry) and protocol')
    .option('--trust-anchor <file>', "DNSSEC: start validation from these DS records instead of the IANA root's (a private root, or your own zone under an unsigned parent)")
    .option('--ca-file <pem>', "trust this CA (PEM) beside the system's for the HTTPS and SMTP the posture checks make (MTA-STS policies)")
    .addOption(new Option('--concurrency <n>', 'domains checked at once with --file').default('64', '64'));
  addCommonOptions(command, reportFormats);
  return command.action(async (given: string[], options: DomainOptions) => (await import('./run/domain.js')).runDomain(given, options));
}
