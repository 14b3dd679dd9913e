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

/** The compiled data for this YAML text, or null when there is none or it was built from other bytes. */
export function readCompiled<T>(yamlFile: string, rulesDir: string, text: string, dir = compiledDir): T | null {
  const path = compiledPathFor(yamlFile, rulesDir, dir);
  if (!path || !existsSync(path)) return null;
  try {
    const compiled = JSON.parse(readFileSync(path, 'utf8')) as CompiledProfile<T>;
    return compiled.sha256 === sha256(text) ? compiled.data : null;
  } catch {
    return null;
  }
}
