import { rspamdUrl, spamdAddress } from '../engines/options.js';
import { relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { UsageError } from '../errors.js';
import { domainInputs, emlInputs, limitOverrides } from '../engine/inputs.js';
import type { Policy } from '../engine/policy.js';
import type { SessionOptions } from '../engine/session.js';
import type { Inputs } from '../engine/types.js';
import { readMessage } from '../message/read.js';
import { profilePathsFor } from '../profile/providers.js';
import type { LoadedConfig } from './load.js';

const MAX_GLOB_DEPTH = 16;
const MAX_DRAFTS = 10_000;

export interface Settings {
  session: Omit<SessionOptions, 'lang'>;
  /** The config's limits, spelled as the command-line flags spell them. */
  limits: { maxMessageSize?: string; maxRecipients?: string };
  account?: string;
}

export interface Plan extends Settings {
  /** Each target builds its inputs when its turn comes, so drafts are read only while checked. */
  targets: { label: string; inputs: () => Promise<Inputs> }[];
}

/** Everything a config sets besides its targets: what `domain` and `eml` take with --config. */
export function configSettings(loaded: LoadedConfig): Settings {
  const { config, file, dir } = loaded;
  const limits = {
    ...(config.limits?.maxMessageSize !== undefined ? { maxMessageSize: String(config.limits.maxMessageSize) } : {}),
    ...(config.limits?.maxRecipients !== undefined ? { maxRecipients: String(config.limits.maxRecipients) } : {}),
  };
  try {
    limitOverrides(limits);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${file}: limits: ${err.message}`);
    throw err;
  }
  const policy: Policy = { overrides: config.rules ?? {}, ignores: config.ignore ?? [], source: file };
  return {
    session: {
      profilePaths: profilePathsFor(config.provider, dir, `${file}: provider`),
      servers: config.resolvers ?? [],
      timeoutMs: config.timeout,
      zoneFiles: (config.zones ?? []).map((z) => resolve(dir, z)),
      offline: config.offline ?? false,
      dnsbl: config.dnsbl,
      policy,
      contentEngines: {
        ...(config.rspamd !== undefined ? { rspamd: rspamdUrl(config.rspamd, config.offline ?? false, `${file}: rspamd`) } : {}),
        ...(config.spamd !== undefined ? { spamd: spamdAddress(config.spamd, config.offline ?? false, `${file}: spamd`) } : {}),
      },
    },
    limits,
    ...(config.account !== undefined ? { account: config.account } : {}),
  };
}

/** A config → the session to share and the targets to run, every value checked before anything runs. */
export async function planConfig(loaded: LoadedConfig): Promise<Plan> {
  const { config, file, dir } = loaded;
  const settings = configSettings(loaded);
  const at = (where: string, fn: () => Inputs): Inputs => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`${file}: ${where}: ${err.message}`);
      throw err;
    }
  };
  const targets: Plan['targets'] = [];
  (config.targets.domains ?? []).forEach((t, i) => {
    const inputs = at(`targets.domains[${i}]`, () =>
      domainInputs(t.domain, { ip: t.ip, helo: t.helo, mailFrom: t.mailFrom, from: t.from, dkimSelectors: t.dkimSelectors, offline: config.offline, ...settings.limits }),
    );
    const line = loaded.lineOf('domains', i);
    targets.push({ label: inputs.domain, inputs: async () => ({ ...inputs, source: { file: relative(process.cwd(), file) || file, ...(line !== undefined ? { line } : {}) } }) });
  });
  for (const [i, t] of (config.targets.drafts ?? []).entries()) {
    // Bounded like every walk: no symlinks followed, a depth and a count, so `/proc/**` ends.
    const files = (await glob(t.path, { cwd: dir, absolute: true, onlyFiles: true, followSymbolicLinks: false, deep: MAX_GLOB_DEPTH })).sort();
    if (files.length > MAX_DRAFTS) throw new UsageError(`${file}: targets.drafts[${i}].path: "${t.path}" matches ${files.length} files; at most ${MAX_DRAFTS} drafts a run`);
    if (files.length === 0) throw new UsageError(`${file}: targets.drafts[${i}].path: no file matches "${t.path}"`);
    const envelope = { ip: t.ip, helo: t.helo, mailFrom: t.mailFrom, from: t.from, dkimSelectors: t.dkimSelectors, rcpt: t.rcpt, bulk: t.bulk, offline: config.offline, account: t.account ?? config.account, ...settings.limits };
    for (const abs of files) {
      const shown = relative(process.cwd(), abs) || abs;
      targets.push({ label: shown, inputs: async () => emlInputs(await readMessage(shown), envelope) });
    }
  }
  if (targets.length === 0) throw new UsageError(`${file}: targets: no domains and no drafts to check`);
  return { ...settings, targets };
}
