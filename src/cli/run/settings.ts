/** The session the DNS-checking commands build, from flags and a presend config. */
import type { FailOn } from '../../engine/verdict.js';
import type { SessionOptions } from '../../engine/session.js';
import type { Lang } from '../../engine/types.js';
import type { PresendConfig } from '../../config/schema.js';
import { profilePathsFor } from '../../profile/providers.js';
import { runEngines } from '../../engines/options.js';
import type { CommonOptions, EngineFlags } from '../common.js';
import { caCertificates, ensureProfileValidators, trustAnchors, reportingOf, timeoutOf } from './common.js';

export interface FlagSettings {
  session: SessionOptions;
  limits: { maxMessageSize?: string; maxRecipients?: string };
  lang: Lang;
  failOn: FailOn;
  /** The config's account, for commands that send drafts (a flag overrides it). */
  account?: string;
  /** The config's `sink` section, for `presend sink`. */
  sink?: NonNullable<PresendConfig['sink']>;
}

/**
 * The session the DNS-checking commands build: from --config when given, each flag on
 * the command line overriding the config's value.
 */
export async function settingsFromFlags(options: CommonOptions & EngineFlags & { dnsbl?: string[]; maxMessageSize?: string; maxRecipients?: string; caFile?: string; mxTls?: boolean; trustAnchor?: string }): Promise<FlagSettings> {
  let base: { session: Omit<SessionOptions, 'lang'>; limits: FlagSettings['limits']; lang?: Lang; failOn?: FailOn; account?: string; sink?: FlagSettings['sink'] } = { session: { servers: [], zoneFiles: [], offline: false }, limits: {} };
  const providers = options.provider !== undefined ? profilePathsFor(options.provider) : undefined;
  if (options.config !== undefined) {
    // The config reader (YAML, globs) only for --config.
    const [{ findConfig, loadConfig }, { configSettings }] = await Promise.all([import('../../config/load.js'), import('../../config/plan.js')]);
    const loaded = loadConfig(findConfig(options.config)!);
    base = { ...configSettings(loaded), lang: loaded.config.lang, failOn: loaded.config.failOn, ...(loaded.config.sink ? { sink: loaded.config.sink } : {}) };
  }
  const { lang, failOn } = reportingOf(options, base);
  const offline = options.offline ?? base.session.offline;
  const contentEngines = runEngines(base.session.contentEngines, options, offline);
  await ensureProfileValidators(providers ?? base.session.profilePaths);
  return {
    lang,
    failOn,
    ...(base.account !== undefined ? { account: base.account } : {}),
    ...(base.sink !== undefined ? { sink: base.sink } : {}),
    session: {
      ...base.session,
      ...(providers ? { profilePaths: providers } : {}),
      lang,
      servers: options.resolver ?? base.session.servers,
      timeoutMs: options.timeout !== undefined ? timeoutOf(options.timeout) : (base.session.timeoutMs ?? timeoutOf(undefined)),
      zoneFiles: [...base.session.zoneFiles, ...(options.zone ?? [])],
      offline,
      dnsbl: options.dnsbl ?? base.session.dnsbl,
      contentEngines,
      ...(options.caFile !== undefined ? { extraCa: caCertificates(options.caFile) } : {}),
      ...(options.mxTls ? { mxTls: true } : {}),
      ...(options.trustAnchor !== undefined ? { trustAnchors: trustAnchors(options.trustAnchor) } : {}),
    },
    limits: {
      ...base.limits,
      ...(options.maxMessageSize !== undefined ? { maxMessageSize: options.maxMessageSize } : {}),
      ...(options.maxRecipients !== undefined ? { maxRecipients: options.maxRecipients } : {}),
    },
  };
}

