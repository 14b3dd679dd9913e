/**
 * Every sample in README.md and docs/*.md is run and must print what it shows (timings aside;
 * `…` stands for text left out): a sample that drifted from what presend says fails here.
 * `npm run docs:samples` writes the present output back.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the build scripts, without types.
import { findSamples, matches, runSample, sampleFiles, words } from '../../scripts/samples.js';

interface Sample {
  command: string;
  expected: string[];
  line: number;
}

const all = (sampleFiles() as string[]).flatMap((file) => (findSamples(readFileSync(file, 'utf8')) as Sample[]).map((s) => ({ ...s, file })));

describe('the samples in README and docs', () => {
  it('there are samples, each reproducible offline (it names its zones, or needs no DNS)', () => {
    expect(all.length).toBeGreaterThan(10);
    for (const s of all) {
      const args = words(s.command) as string[];
      const needsDns = ['domain', 'eml', 'check'].includes(args[1]!);
      if (needsDns) expect(args.includes('--offline'), `${s.file}:${s.line}: ${s.command}`).toBe(true);
    }
  });

  it.each(all.map((s) => [`${s.file}:${s.line} ${s.command}`, s] as const))('%s', (_name, sample) => {
    const result = matches(sample.expected, runSample(sample.command)) as { ok: boolean; missing?: string };
    expect(result.missing ?? '', 'this shown line is no longer printed').toBe('');
  });
});
