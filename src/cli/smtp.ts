import { Command, Option } from 'commander';
import { addCommonOptions, type CommonOptions } from './common.js';
import { reportFormats } from './formats.js';

export interface SmtpFlags extends CommonOptions {
  helo: string;
  user?: string;
  mailFrom?: string;
  rcpt?: string[];
  tls: 'starttls' | 'implicit' | 'none' | 'auto';
  profile?: string;
  caFile?: string;
  insecure?: boolean;
}

export function smtpCommand(): Command {
  const command = new Command('smtp')
    .description('a dry run of a real send path: connect, EHLO, TLS, AUTH, MAIL FROM, RCPT TO, then RSET and QUIT — nothing is sent')
    .argument('<host[:port]>', 'the server (port 25 unless given; 465 is implicit TLS)')
    .option('--helo <name>', 'the EHLO name to send', 'presend.invalid')
    .option('--user <addr>', 'log in as this account (password from PRESEND_SMTP_PASSWORD, else asked without echo)')
    .option('--mail-from <addr>', 'the envelope sender (default: --user)')
    .option('--rcpt <addr...>', 'recipients to try (RCPT TO each)')
    .addOption(new Option('--tls <mode>', 'auto: implicit TLS on 465, else STARTTLS when offered; starttls; implicit; none').choices(['auto', 'starttls', 'implicit', 'none']).default('auto'))
    .option('--ca-file <pem>', 'trust this CA (PEM) beside the system\'s, e.g. a private CA of your own servers')
    .option('--insecure', 'log in even when the certificate does not verify (credentials still never go in clear)')
    .option('--profile <file>', 'a provider profile YAML of your own (default: --provider, else every shipped profile)');
  addCommonOptions(command, reportFormats);
  return command.action(async (spec: string, flags: SmtpFlags) => (await import('./run/smtp.js')).runSmtp(spec, flags));
}
