/** `presend explain`: a pasted reply or a bounce, read against the catalogues. */
import { UsageError } from '../../errors.js';
import { fileLimits, readStdin } from '../../files.js';
import { explainFiles } from '../../explain/shortlist.js';
import { profilePathsFor } from '../../profile/providers.js';
import { formatExplanationText } from '../../report/explanation.js';
import { safeJson } from '../../report/safe-text.js';
import { makeStyle, useColor } from '../../report/style.js';
import { version } from '../../version.js';
import type { ExplainOptions } from '../explain.js';
import { stdoutIsTTY } from '../stdout.js';
import { emit, langOf } from './common.js';

export async function runExplain(words: string[], options: ExplainOptions): Promise<void> {
  if (words.length > 0 && options.file) throw new UsageError('explain: give either a reply line or --file, not both');
  const fromStdin = !options.file && (words.length === 0 || (words.length === 1 && words[0] === '-'));
  // On a terminal, ask for the paste (on stderr, so the report alone goes to stdout) and read it to Ctrl-D.
  if (fromStdin && process.stdin.isTTY) process.stderr.write(`Paste the bounce, then press ${process.platform === 'win32' ? 'Ctrl-Z and Enter' : 'Ctrl-D'} on a line of its own:\n`);
  const lang = langOf(options.lang, process.env);
  if (options.profile && options.provider) throw new UsageError('explain: give --provider or --profile, not both');
  const paths = options.profile ? [options.profile] : profilePathsFor(options.provider ?? 'all');
  // The bounce reader (postal-mime) only for --file.
  const text = options.file ? await (await import('../../explain/bounce-file.js')).bounceText(options.file) : fromStdin ? (await readStdin('explain -', fileLimits.bounce)).toString('utf8') : words.join(' ');
  if (text.trim() === '') throw new UsageError('explain: the paste is empty');
  const { explanation, profiles } = await explainFiles(text, paths, lang);
  const out =
    options.format === 'json'
      ? safeJson({ tool: 'presend', version, explanation }, 2) + '\n'
      : formatExplanationText(explanation, makeStyle(options.color === 'always' || (options.output === undefined && useColor({ isTTY: stdoutIsTTY() }, process.env, options.color))), lang, Object.fromEntries(profiles.map((p) => [p.provider, p.label[lang]])));
  emit(out, options.output);
  process.exitCode = explanation.known || explanation.success ? 0 : 1;
}
