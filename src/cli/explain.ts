import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { fileLimits, readStdin } from '../files.js';
import { makeStyle, useColor } from '../report/style.js';
import { version } from '../version.js';
import { emit, ensureProfileValidators, langOf } from './common.js';

interface ExplainOptions {
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
    .action(async (words: string[], options: ExplainOptions) => {
      if (words.length > 0 && options.file) throw new UsageError('explain: give either a reply line or --file, not both');
      const fromStdin = !options.file && (words.length === 0 || (words.length === 1 && words[0] === '-'));
      if (fromStdin && process.stdin.isTTY) throw new UsageError('explain: paste the bounce on standard input (end with Ctrl-D), or give a reply line or --file bounce.eml');
      // The bounce reader (postal-mime) only for --file.
      const [bounce, { explainAcross }, { loadProfile }, { profilePathsFor }, { formatExplanationText }] = await Promise.all([
        options.file ? import('../explain/bounce-file.js') : undefined,
        import('../explain/explain.js'),
        import('../profile/load.js'),
        import('../profile/providers.js'),
        import('../report/explanation.js'),
      ]);
      const lang = langOf(options.lang, process.env);
      if (options.profile && options.provider) throw new UsageError('explain: give --provider or --profile, not both');
      const paths = options.profile ? [options.profile] : profilePathsFor(options.provider ?? 'all');
      await ensureProfileValidators(paths, { blocklists: false });
      const profiles = paths.map((path) => loadProfile(path));
      const text = options.file ? await bounce!.bounceText(options.file) : fromStdin ? (await readStdin('explain -', fileLimits.bounce)).toString('utf8') : words.join(' ');
      if (text.trim() === '') throw new UsageError('explain: the paste is empty');
      const explanation = explainAcross(text, profiles, lang);
      const out =
        options.format === 'json'
          ? JSON.stringify({ tool: 'presend', version, explanation }, null, 2) + '\n'
          : formatExplanationText(explanation, makeStyle(options.color === 'always' || (options.output === undefined && useColor(process.stdout, process.env, options.color))), lang, Object.fromEntries(profiles.map((p) => [p.provider, p.label[lang]])));
      emit(out, options.output);
      process.exitCode = explanation.known ? 0 : 1;
    });
}
