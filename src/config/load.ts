import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isNode } from 'yaml';
import { UsageError } from '../errors.js';
import { fileLimits, readTextFile } from '../files.js';
import { parseYamlStrict } from '../yaml.js';
import { describeIssue } from '../profile/load.js';
import { configSchema, type PresendConfig } from './schema.js';

export const CONFIG_NAMES = ['presend.config.yaml', 'presend.config.yml', 'presend.config.json'];

export interface LoadedConfig {
  file: string;
  dir: string;
  config: PresendConfig;
  /** Where each target is written, so a finding about it can point there (SARIF, GitHub annotations). */
  lineOf(section: 'domains' | 'drafts', index: number): number | undefined;
}

/** `--config FILE`, else the first presend.config.* in the working directory, else null. */
export function findConfig(explicit: string | undefined, cwd = process.cwd()): string | null {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw new UsageError(`--config ${explicit}: no such file`);
    return explicit;
  }
  return CONFIG_NAMES.map((n) => join(cwd, n)).find((f) => existsSync(f)) ?? null;
}

export function loadConfig(file: string): LoadedConfig {
  const text = readTextFile(file, `config ${file}`, fileLimits.config);
  // YAML is a superset of JSON: one parser serves both spellings and keeps line numbers.
  const { doc, lineCounter, value: raw } = parseYamlStrict(text, file);
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new UsageError(describeIssue(file, parsed.error.issues[0]!, raw));
  return {
    file,
    dir: dirname(resolve(file)),
    config: parsed.data,
    lineOf(section, index) {
      const node = doc.getIn(['targets', section, index], true);
      return isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;
    },
  };
}

/** A provider name (rules/<name>.yaml) or a path relative to the config file. */
export function profilePathOf(loaded: LoadedConfig, rulesDir: string): string {
  const provider = loaded.config.provider;
  if (/^[a-z0-9-]+$/.test(provider)) return join(rulesDir, `${provider}.yaml`);
  return isAbsolute(provider) ? provider : join(loaded.dir, provider);
}
