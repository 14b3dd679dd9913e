import { Command, Option } from 'commander';

export interface ExplainOptions {
  file?: string;
  format: string;
  lang?: string;
  output?: string;
  profile?: string;
  provider?: string;
  color?: 'auto' | 'always' | 'never';
}

export function explainCommand(): Command {
  return new Command('explain')
    .description('read a bounce (a reply line, a token, or a whole DSN with --file) and say what it means and what to do')
    .argument('[text...]', 'the reply as pasted (an exception, a log line, a bare token such as MI:SPF); none or - reads the paste from standard input; after -- a paste may start with -')
    .option('--file <bounce.eml>', 'a bounce / DSN message to read')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--lang <lang>', 'language (default from LANG)').choices(['en', 'zh']))
    .option('--output <file>', 'write to a file instead of stdout')
    .option('--provider <names>', 'the providers whose catalogues to read the reply against (default: every profile presend ships; a comma list, or all)')
    .option('--profile <file>', 'a provider profile YAML of your own, read alone')
    .addOption(new Option('--color <when>', 'colour: auto (a terminal, FORCE_COLOR, NO_COLOR), always or never').choices(['auto', 'always', 'never']).default('auto'))
    .action(async (words: string[], options: ExplainOptions) => (await import('./run/explain.js')).runExplain(words, options));
}
