import { Command } from 'commander';
import { addCommonOptions, emit, failOnOf, langOf, timeoutOf, type CommonOptions } from './common.js';
import { reportFormats } from './formats.js';

interface DomainOptions extends CommonOptions {
  ip?: string;
  helo?: string;
  mailFrom?: string;
  from?: string;
  dkimSelector?: string[];
  dnsbl?: string[];
}

export function domainCommand(): Command {
  const command = new Command('domain')
    .description('DNS-side checks for a sending domain: SPF, DMARC, blocklists, PTR/HELO, sender domain, DKIM keys')
    .argument('<domain>', 'the sending domain')
    .option('--ip <addr>', 'sending IPv4 or IPv6 address')
    .option('--helo <name>', 'HELO/EHLO name ("" means an empty HELO)')
    .option('--mail-from <addr>', 'envelope sender (default postmaster@<domain>; "" or "<>" is the null sender)')
    .option('--from <addr>', 'header From address (default: the envelope sender)')
    .option('--dkim-selector <selector...>', 'DKIM selectors whose keys to check')
    .option('--dnsbl <zone...>', 'blocklist zones to query instead of the default set', undefined);
  addCommonOptions(command, reportFormats);
  return command.action(async (domain: string, options: DomainOptions) => {
    // Loaded on use, so `presend --version` and `presend codes` start fast.
    const [{ domainInputs }, { checkTarget, createSession }, { exitStatus }, { renderReports }] = await Promise.all([
      import('../engine/inputs.js'),
      import('../engine/session.js'),
      import('../engine/verdict.js'),
      import('./render.js'),
    ]);
    const lang = langOf(options.lang, process.env);
    const inputs = domainInputs(domain, {
      ip: options.ip,
      helo: options.helo,
      mailFrom: options.mailFrom,
      from: options.from,
      dkimSelectors: options.dkimSelector,
      offline: options.offline,
    });
    const session = createSession({
      lang,
      servers: options.resolver ?? [],
      timeoutMs: timeoutOf(options.timeout),
      zoneFiles: options.zone ?? [],
      offline: options.offline ?? false,
      dnsbl: options.dnsbl,
    });
    const report = await checkTarget(session, inputs);
    emit(renderReports([report], options.format, lang, options.output !== undefined), options.output);
    process.exitCode = exitStatus(report.findings, failOnOf(options.failOn));
  });
}

