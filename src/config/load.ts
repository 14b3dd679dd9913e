import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { fileLimits, readTextFile } from '../files.js';
import { isYamlNode, parseYamlStrict } from '../yaml.js';
import { describeIssue } from '../profile/validate.js';
import { configSchema, type PresendConfig } from './schema.js';

export const CONFIG_NAMES = ['presend.config.yaml', 'presend.config.yml', 'presend.config.json'];

export interface LoadedConfig {
  file: string;
  dir: string;
  config: PresendConfig;
  /** Where each target is written, so a finding about it can point there (SARIF, GitHub annotations). */
  lineOf(section: 'domains' | 'drafts', index: number): number | undefined;
}

/** How many folders up a config is looked for: far enough for any repository, bounded like every walk. */
const MAX_CONFIG_DEPTH = 32;

/**
 * `--config FILE`, else the first presend.config.* in the working directory or the
 * nearest folder above it (as eslint and prettier find theirs), else null.
 */
export function findConfig(explicit: string | undefined, cwd = process.cwd()): string | null {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw new UsageError(`--config ${explicit}: no such file`);
    return explicit;
  }
  let dir = resolve(cwd);
  for (let depth = 0; depth < MAX_CONFIG_DEPTH; depth++) {
    const found = CONFIG_NAMES.map((n) => join(dir, n)).find((f) => existsSync(f));
    if (found) return found;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
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
      return isYamlNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;
    },
  };
}

