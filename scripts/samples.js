#!/usr/bin/env node
// The samples in README.md and docs/*.md: each ```console block holds `$ presend …` lines,
// each followed by what that command prints. test/docs/samples.test.ts runs every one and
// compares (timings aside, and `…` standing for text left out); `npm run docs:samples`
// writes each command's present output back into the block. A sample needs no network:
// its command names the zones it is answered from (`--offline --zone fixtures/zones`).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function sampleFiles() {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
}

/** `$ presend a "b c" 'd'` → ['a', 'b c', 'd']: the quoting a sample uses, no globs or pipes. */
export function words(line) {
  const out = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return out;
}

/** Every sample of a markdown text: its command's words and the output shown, with where the block is. */
export function findSamples(text) {
  const samples = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```console') continue;
    let current = null;
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) {
      if (lines[i].startsWith('$ ')) {
        current = { command: lines[i].slice(2), expected: [], line: i + 1 };
        samples.push(current);
      } else if (current) current.expected.push(lines[i]);
      else throw new Error(`line ${i + 1}: a console block starts with its command ($ presend …)`);
    }
  }
  return samples;
}

/** Runs a sample's command as a user would, with colour off and English messages. */
export function runSample(command) {
  const [program, ...args] = words(command);
  if (program !== 'presend') throw new Error(`a sample runs presend, not ${program}`);
  const run = spawnSync(process.execPath, [join(root, 'bin', 'presend.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, LANG: 'en_US.UTF-8' }, timeout: 60_000 });
  return (run.stdout + run.stderr).replace(/\n$/, '').split('\n');
}

/** Timings differ run to run: `12ms`, `3.4 s` become placeholders. */
export function normalize(line) {
  return line.replace(/\b\d+(?:\.\d+)?\s?ms\b/g, '#ms').replace(/\b\d+(?:\.\d+)?\s?s\b(?=[ ,)])/g, '#s').trimEnd();
}

/** Whether every shown line is in the output, in order; `…` in a shown line stands for any text. */
export function matches(expected, actual) {
  const wanted = expected.map(normalize).filter((l) => l !== '');
  const got = actual.map(normalize);
  let at = 0;
  for (const line of wanted) {
    const pattern = new RegExp(`^${line.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    while (at < got.length && !pattern.test(got[at])) at++;
    if (at === got.length) return { ok: false, missing: line };
    at++;
  }
  return { ok: true };
}

/** `npm run docs:samples`: each sample's output written back as the command prints it now. */
function refresh() {
  for (const file of sampleFiles()) {
    const path = join(root, file);
    const lines = readFileSync(path, 'utf8').split('\n');
    const samples = findSamples(lines.join('\n'));
    // A sample with `…` in it was cut by hand to what matters: it is checked, not rewritten.
    for (const sample of samples.reverse()) if (!sample.expected.some((l) => l.includes('…'))) lines.splice(sample.line, sample.expected.length, ...runSample(sample.command));
    writeFileSync(path, lines.join('\n'));
    if (samples.length > 0) process.stdout.write(`${file}: ${samples.length} samples written\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) refresh();
