import { Command, Option } from 'commander';
import { addEngineOptions, collect, type CommonOptions, type EngineFlags } from './common.js';

export interface SinkFlags extends CommonOptions, EngineFlags {
  ui?: string | true;
  listen: string;
  role?: 'mx' | 'submission';
  user?: string[];
  password?: string[];
  clientIp?: string;
  mailbox?: string[];
  denyIp?: string[];
  suspendIp?: string[];
  denySender?: string[];
  allowIp?: string[];
  allowSender?: string[];
  suspended?: string[];
  locked?: string[];
  smtpDisabled?: string[];
  limit?: string[];
  dnsbl?: string[];
  accept?: boolean;
  log?: string;
  store?: string;
  idleTimeout: string;
  commandTimeout: string;
  dataTimeout: string;
  maxHeld: string;
  storeMax: string;
  tlsCert?: string;
  tlsKey?: string;
}

export function sinkCommand(): Command {
  const command = new Command('sink')
    .description("an SMTP server that answers like the provider's inbound MX or submission server, and checks every message as `presend eml` would")
    .addOption(new Option('--listen <host:port>', 'where to listen (port 0: any free port)').default('127.0.0.1:2525', '127.0.0.1:2525'))
    .addOption(new Option('--role <role>', "mx: the provider's inbound MX (default); submission: its submission server (AUTH required)").choices(['mx', 'submission']))
    .option('--user <addr>', 'an account of the submission role (repeatable, paired with --password)', collect)
    .option('--password <secret>', "the password of the --user at the same position (or PRESEND_SINK_PASSWORD for a single user)", collect)
    .option('--client-ip <addr>', 'the address the checks treat as the connecting server (default: the real peer address)')
    .option('--mailbox <addr...>', 'mailboxes that exist: any other recipient gets the profile\'s unknown-recipient reply')
    .option('--deny-ip <addr...>', 'client IPs the provider refuses (the profile\'s ip-denied reply)')
    .option('--suspend-ip <addr...>', 'client IPs the provider has suspended for spam (ip-suspended)')
    .option('--deny-sender <addr...>', 'senders the provider refuses (sender-denied)')
    .option('--allow-ip <addr...>', "the recipients' allow-list of client IPs: any other is refused (ip-not-allowed)")
    .option('--allow-sender <addr...>', "the recipients' allow-list of senders: any other is refused (sender-not-allowed)")
    .option('--suspended <addr...>', 'recipient mailboxes that are disabled or frozen (recipient-suspended)')
    .option('--locked <addr...>', 'submission accounts that are locked (account-locked)')
    .option('--smtp-disabled <addr...>', 'submission accounts with SMTP turned off (smtp-disabled)')
    .option('--limit <name=value>', "override one of the profile's limits, e.g. max-messages-per-window=5000 (repeatable; `presend codes` lists them)", collect)
    .option('--accept', 'accept everything, and only report what would have been refused')
    .option('--log <file>', 'append each transaction as an NDJSON line to this file instead of stdout')
    .option('--store <dir>', 'keep each message (.eml) beside its report (.json)')
    .addOption(new Option('--command-timeout <ms>', 'a command line must arrive whole within this (bytes trickled in do not extend it)').default('60000', '60000'))
    .addOption(new Option('--data-timeout <ms>', 'a message must arrive whole within this after DATA').default('600000', '600000'))
    .addOption(new Option('--max-held <size>', 'message bytes held at once across all connections; past it a message gets a temporary 452').default('512MB', '512MB'))
    .addOption(new Option('--store-max <size>', 'bytes --store writes in one run, then messages are no longer kept').default('1GB', '1GB'))
    .option('--ui [host:port]', 'a web UI of what the sink receives, with a JSON API in Mailpit\'s shape (default 127.0.0.1:8025; port 0: any free one)')
    .option('--tls-cert <pem>', 'the certificate STARTTLS offers (with --tls-key; default: a built-in self-signed one no client can verify)')
    .option('--tls-key <pem>', 'the private key of --tls-cert')
    .addOption(new Option('--idle-timeout <ms>', 'close a connection idle for this long').default('60000', '60000'))
    .option('--dnsbl <zone...>', 'blocklist zones to query instead of the default set')
    .option('--zone <path...>', 'RFC 1035 zone files, or folders of *.zone files, that answer authoritatively for their origins')
    .option('--resolver <host[:port]>', 'DNS server to ask (repeatable)', collect)
    .option('--timeout <ms>', 'per-query DNS timeout in milliseconds (default 5000)')
    .option('--offline', 'send no DNS query to the network; only --zone files answer')
    .option('--provider <name>', 'the one provider the sink answers as: netease (default), gmail, outlook, yahoo, qq, or a profile YAML')
    .option('--config <file>', 'take provider, resolvers, blocklists, limits and rule overrides from a presend config')
    .addOption(new Option('--lang <lang>', 'language of messages (default from LANG)').choices(['en', 'zh']));
  return addEngineOptions(command).action(async (flags: SinkFlags) => (await import('./run/sink.js')).runSink(flags));
}
