#!/usr/bin/env node
// Start-up of several builds side by side, for judging one change: interleaved rounds
// (`node -e 0`, then each command in each tree), medians, ratios to `node -e 0`. The shared
// machine's speed drifts between runs by up to 2 ×, so a change is measured A/B in one run,
// never against figures from another day. Loopback only; no DNS.
//   node bench/startup-ab.js [--rounds N] [--only eml,explain] TREE [TREE…]
// where each TREE is a built checkout (npm run build); e.g. `git worktree add /tmp/before
// HEAD~1 && (cd /tmp/before && npm ci)`, then `node bench/startup-ab.js /tmp/before .`.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { rounds: { type: 'string', default: '21' }, only: { type: 'string' } }, allowPositionals: true });
if (positionals.length === 0) {
  console.error('usage: node bench/startup-ab.js [--rounds N] [--only eml,explain] TREE [TREE…]');
  process.exit(2);
}
const trees = positionals.map((t) => resolve(t));
const commands = {
  version: ['--version'],
  codes: ['codes'],
  explain: ['explain', '550 MI:SPF'],
  eml: ['eml', 'fixtures/drafts/clean-plain.eml', '--offline'],
};
const names = values.only ? values.only.split(',') : Object.keys(commands);
const timed = (args, cwd) => {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
  return Number(process.hrtime.bigint() - started) / 1e6;
};
// One run of each first: it writes each build's code cache, which later runs read.
for (const tree of trees) for (const name of names) timed([`${tree}/bin/presend.js`, ...commands[name]], tree);
const times = { 'node -e 0': [] };
for (const name of names) for (const tree of trees) times[`${name}  ${tree}`] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  times['node -e 0'].push(timed(['-e', '0'], trees[0]));
  for (const name of names) for (const tree of trees) times[`${name}  ${tree}`].push(timed([`${tree}/bin/presend.js`, ...commands[name]], tree));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times['node -e 0']);
console.log(`Node ${process.version}, medians of ${values.rounds} interleaved rounds`);
for (const [label, xs] of Object.entries(times)) console.log(`${label.padEnd(50)} ${median(xs).toFixed(1).padStart(7)} ms  ${(median(xs) / base).toFixed(2)} × node -e 0`);
