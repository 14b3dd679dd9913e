/**
 * YAML (and JSON, its subset) as presend reads configs and profiles: parse errors,
 * duplicate keys and alias bombs are one clear UsageError naming the file. yaml's own
 * `uniqueKeys` compares each key with every earlier one (80,000 keys took a minute),
 * so duplicates are found here with one Set per mapping instead.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, LineCounter } from 'yaml';
import { UsageError } from './errors.js';

/** yaml is loaded on first use (its CommonJS build, so the API stays synchronous): a run whose profiles are compiled never pays for it. */
let yaml: typeof Yaml | undefined;
const loadYaml = () => (yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml);

/** Whether a value is a node of a parsed document (for its range): yaml's own test, from the same copy of yaml. */
export function isYamlNode(value: unknown): value is Yaml.Node {
  return loadYaml().isNode(value);
}

/** yaml's default: more alias expansions than this is a resource-exhaustion attack, not a document. */
const MAX_ALIAS_COUNT = 100;

export interface ParsedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  value: unknown;
}

export function parseYamlStrict(text: string, label: string): ParsedYaml {
  const { isMap, isScalar, LineCounter, parseDocument, visit } = loadYaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) throw new UsageError(`${label}: not valid YAML/JSON: ${doc.errors[0]!.message.split('\n')[0]}`);
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          const at = isScalar(pair.key) && pair.key.range ? ` (line ${lineCounter.linePos(pair.key.range[0]).line})` : '';
          throw new UsageError(`${label}: duplicate key ${JSON.stringify(String(key))}${at}`);
        }
        seen.add(key);
      }
    },
  });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw new UsageError(`${label}: not a usable YAML/JSON document: ${(err as Error).message.split('\n')[0]}`);
  }
  return { doc, lineCounter, value };
}
