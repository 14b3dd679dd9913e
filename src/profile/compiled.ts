/**
 * Profiles stay YAML in rules/ — the one source of truth — and the build compiles each
 * into dist/rules/<name>.json: the validated data and the SHA-256 of the YAML it came
 * from. A run reads the YAML's bytes (to hash them) and, when the compiled form matches,
 * skips parsing and validating it: that was a third of `presend codes`' start-up. A YAML
 * edited since the build, or one outside rules/, is parsed and validated as ever.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/rules/, beside the compiled code. */
export const compiledDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules');

export interface CompiledProfile<T> {
  sha256: string;
  data: T;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function compiledPathFor(yamlFile: string, rulesDir: string, dir = compiledDir): string | null {
  if (resolve(dirname(yamlFile)) !== resolve(rulesDir)) return null;
  return join(dir, basename(yamlFile).replace(/\.ya?ml$/, '.json'));
}

/**
 * Each compiled file parsed once per process: a run asks twice (whether zod must load, then
 * to load the profile), and JSON.parse of every profile was a few ms of each start-up.
 * Keyed by path, so bounded by the files in rules/; null marks one absent or unreadable.
 */
const parsed = new Map<string, CompiledProfile<unknown> | null>();

function parseCompiled(path: string): CompiledProfile<unknown> | null {
  if (!parsed.has(path)) {
    let compiled: CompiledProfile<unknown> | null = null;
    try {
      if (existsSync(path)) compiled = JSON.parse(readFileSync(path, 'utf8')) as CompiledProfile<unknown>;
    } catch {
      compiled = null;
    }
    parsed.set(path, compiled);
  }
  return parsed.get(path)!;
}

/** The compiled data for this YAML text, or null when there is none or it was built from other bytes. */
export function readCompiled<T>(yamlFile: string, rulesDir: string, text: string, dir = compiledDir): T | null {
  const path = compiledPathFor(yamlFile, rulesDir, dir);
  const compiled = path ? parseCompiled(path) : null;
  return compiled && compiled.sha256 === sha256(text) ? (compiled.data as T) : null;
}
