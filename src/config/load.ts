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

/** How many folders up a repository's root is looked for: far enough for any repository, bounded like every walk. */
const MAX_CONFIG_DEPTH = 32;

/** The folders a config is looked for in: the working directory, and up to the repository's root (the folder holding .git) when it is inside one. */
function configFolders(cwd: string): string[] {
  const folders: string[] = [];
  let dir = resolve(cwd);
  for (let depth = 0; depth < MAX_CONFIG_DEPTH; depth++) {
    folders.push(dir);
    if (existsSync(join(dir, '.git'))) return folders;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // Not in a repository: only the working directory — never a shared folder above it such as /tmp, where anyone may plant a config.
  return folders.slice(0, 1);
}

/**
 * `--config FILE`, else the first presend.config.* in the working directory or a folder
 * above it up to the repository's root, else null.
 */
export function findConfig(explicit: string | undefined, cwd = process.cwd()): string | null {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw new UsageError(`--config ${explicit}: no such file`);
    return explicit;
  }
  for (const dir of configFolders(cwd)) {
    const found = CONFIG_NAMES.map((n) => join(dir, n)).find((f) => existsSync(f));
    if (found) return found;
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

