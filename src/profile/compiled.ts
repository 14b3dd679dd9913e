/**
 * Profiles stay YAML in rules/ — the one source of truth — and the build compiles each
 * into dist/rules/<name>.json (the validated data) beside a copy of the YAML bytes it came
 * from (dist/rules/<name>.yaml). A run compares the YAML's bytes with that copy and, when
 * they are the same, skips parsing and validating it: that was a third of `presend codes`'
 * start-up. Comparing bytes is exact and costs microseconds; a hash would cost more (a
 * JavaScript hash of the five profiles runs ≈ 7 ms cold on Node 20, node:crypto takes
 * 3–8 ms just to load). A YAML edited since the build, or one outside rules/, is parsed
 * and validated as ever.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/rules/, beside the compiled code. */
export const compiledDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules');

/** What the build compiles a profile into: its validated data, and what `explain` tells first whether the profile could know a reply by (explain/shortlist.ts). */
export type CompiledPart = 'data' | 'shortlist';

/** Where the build puts a YAML's compiled parts and the copy of its bytes, or null for a file outside rules/. */
export function compiledPathsFor(yamlFile: string, rulesDir: string, dir = compiledDir): ({ source: string } & Record<CompiledPart, string>) | null {
  if (resolve(dirname(yamlFile)) !== resolve(rulesDir)) return null;
  const name = basename(yamlFile).replace(/\.ya?ml$/, '');
  return { data: join(dir, `${name}.json`), shortlist: join(dir, `${name}.shortlist.json`), source: join(dir, `${name}.yaml`) };
}

/**
 * Each compiled file read once per process: a run asks twice (whether zod must load, then
 * to load the profile). Keyed by path, so bounded by the files in rules/; null marks one
 * absent or unreadable.
 */
const sources = new Map<string, Buffer | null>();
const data = new Map<string, unknown>();

function readOnce<T>(cache: Map<string, T | null>, path: string, read: (path: string) => T): T | null {
  if (!cache.has(path)) {
    let value: T | null = null;
    try {
      if (existsSync(path)) value = read(path);
    } catch {
      value = null;
    }
    cache.set(path, value);
  }
  return cache.get(path) ?? null;
}

/** A compiled part (the data by default) for this YAML's bytes, or null when there is none or it was built from other bytes. */
export function readCompiled<T>(yamlFile: string, rulesDir: string, yaml: Buffer, dir = compiledDir, part: CompiledPart = 'data'): T | null {
  const paths = compiledPathsFor(yamlFile, rulesDir, dir);
  if (!paths) return null;
  const source = readOnce(sources, paths.source, (path) => readFileSync(path));
  if (!source?.equals(yaml)) return null;
  return readOnce(data, paths[part], (path) => JSON.parse(readFileSync(path, 'utf8')) as unknown) as T | null;
}
