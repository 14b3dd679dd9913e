import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { version } from '../version.js';
import { emit, ensureProfileValidators, langOf } from './common.js';

export function codesCommand(): Command {
  return new Command('codes')
    .description("the profile's catalogue: every code, its meaning, and how presend knows it")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--lang <lang>', 'language (default from LANG)').choices(['en', 'zh']))
    .option('--output <file>', 'write to a file instead of stdout')
    .option('--provider <names>', 'the providers to list: netease (default), gmail, a comma list, or all')
    .option('--profile <file>', 'a provider profile YAML of your own')
    .action(async (options: { format: string; lang?: string; output?: string; profile?: string; provider?: string }) => {
      const [{ loadProfile }, { profilePathsFor }, { formatCodesJson, formatCodesText }] = await Promise.all([import('../profile/load.js'), import('../profile/providers.js'), import('../report/codes.js')]);
      const lang = langOf(options.lang, process.env);
      if (options.profile && options.provider) throw new UsageError('codes: give --provider or --profile, not both');
      const paths = options.profile ? [options.profile] : profilePathsFor(options.provider ?? 'netease');
      await ensureProfileValidators(paths, { blocklists: false });
      const profiles = paths.map((path) => loadProfile(path));
      emit(options.format === 'json' ? formatCodesJson(profiles, lang, version) : profiles.map((p) => formatCodesText(p, lang)).join('\n'), options.output);
    });
}
