/** `presend codes`: the catalogues, as text or JSON. */
import { UsageError } from '../../errors.js';
import { loadProfile } from '../../profile/load.js';
import { profilePathsFor } from '../../profile/providers.js';
import { formatCodesJson, formatCodesText } from '../../report/codes.js';
import { version } from '../../version.js';
import type { CodesOptions } from '../codes.js';
import { emit, ensureProfileValidators, langOf } from './common.js';

export async function runCodes(options: CodesOptions): Promise<void> {
  const lang = langOf(options.lang, process.env);
  if (options.profile && options.provider) throw new UsageError('codes: give --provider or --profile, not both');
  const paths = options.profile ? [options.profile] : profilePathsFor(options.provider ?? 'netease');
  await ensureProfileValidators(paths, { blocklists: false });
  const profiles = paths.map((path) => loadProfile(path));
  emit(options.format === 'json' ? formatCodesJson(profiles, lang, version) : profiles.map((p) => formatCodesText(p, lang)).join('\n'), options.output);
}
