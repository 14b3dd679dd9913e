import { Command, Option } from 'commander';
import { version } from '../version.js';
import { emit, langOf } from './common.js';

export function codesCommand(): Command {
  return new Command('codes')
    .description("the profile's catalogue: every code, its meaning, and how presend knows it")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--lang <lang>', 'language (default from LANG)').choices(['en', 'zh']))
    .option('--output <file>', 'write to a file instead of stdout')
    .option('--profile <file>', 'provider profile YAML (default rules/netease.yaml)')
    .action(async (options: { format: string; lang?: string; output?: string; profile?: string }) => {
      const [{ loadProfile }, { formatCodesJson, formatCodesText }] = await Promise.all([import('../profile/load.js'), import('../report/codes.js')]);
      const lang = langOf(options.lang, process.env);
      const profile = loadProfile(options.profile);
      emit(options.format === 'json' ? formatCodesJson(profile, lang, version) : formatCodesText(profile, lang), options.output);
    });
}
