import { join } from 'node:path';
import { fileLimits, readRegularFile } from '../files.js';
import { readCompiled } from './compiled.js';
import type { ContentFile, ContentSignalData } from './content-schema.js';
import { rulesDir, validators } from './load.js';

/** The content engine's data: weights and threshold, and the lists its signals consult. */
export interface ContentModel {
  threshold: number;
  signals: Map<string, ContentSignalData>;
  shorteners: ReadonlySet<string>;
  freemail: DomainList;
}

/** Names, some with `*` for one label (`yahoo.*`, `*.att.ne.jp`). */
export interface DomainList {
  has(domain: string): boolean;
}

export function domainList(entries: readonly string[]): DomainList {
  const exact = new Set(entries.filter((e) => !e.includes('*')));
  const patterns = entries.filter((e) => e.includes('*')).map((e) => new RegExp(`^${e.replace(/\./g, '\\.').replace(/\*/g, '[a-z0-9-]+')}$`));
  return { has: (domain) => exact.has(domain) || patterns.some((p) => p.test(domain)) };
}

export function defaultContentPath(): string {
  return join(rulesDir, 'content.yaml');
}

export function loadContentModel(file = defaultContentPath()): ContentModel {
  const bytes = readRegularFile(file, `content weights ${file}`, fileLimits.profile);
  const data = readCompiled<ContentFile>(file, rulesDir, bytes) ?? validators().content(bytes.toString('utf8'), file);
  return {
    threshold: data.threshold,
    signals: new Map(data.signals.map((s) => [s.id, s])),
    shorteners: new Set(data.lists.shorteners),
    freemail: domainList(data.lists.freemail),
  };
}
