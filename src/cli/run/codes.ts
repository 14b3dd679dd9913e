/** `presend codes`: the catalogues, as text or JSON. */
import { UsageError } from '../../errors.js';
import { loadProfiles } from '../../profile/load.js';
import { profilePathsFor } from '../../profile/providers.js';
import { formatCodesJson, formatCodesText } from '../../report/codes.js';
import { version } from '../../version.js';
import type { CodesOptions } from '../codes.js';
import { emit, langOf } from './common.js';

export async function runCodes(options: CodesOptions): Promise<void> {
  const lang = langOf(options.lang, process.env);
  if (options.profile && options.provider) throw new UsageError('codes: give --provider or --profile, not both');
  const paths = options.profile ? [options.profile] : profilePathsFor(options.provider ?? 'netease');
  const profiles = await loadProfiles(paths);
  emit(options.format === 'json' ? formatCodesJson(profiles, lang, version) : profiles.map((p) => formatCodesText(p, lang)).join('\n'), options.output);
}
