import { Command, Option } from 'commander';

export interface CodesOptions {
  format: string;
  lang?: string;
  output?: string;
  profile?: string;
  provider?: string;
}

export function codesCommand(): Command {
  return new Command('codes')
    .description("the profile's catalogue: every code, its meaning, and how presend knows it")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--lang <lang>', 'language (default from LANG)').choices(['en', 'zh']))
    .option('--output <file>', 'write to a file instead of stdout')
    .option('--provider <names>', 'the providers to list: netease (default), gmail, a comma list, or all')
    .option('--profile <file>', 'a provider profile YAML of your own')
    .action(async (options: CodesOptions) => (await import('./run/codes.js')).runCodes(options));
}
