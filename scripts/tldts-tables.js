// Part of the build (scripts/bundle.js): tldts, presend's Public Suffix List, builds its trie
// when it loads — four typed arrays from 21,000 numbers written as array literals, then a
// pass hashing every label of a 70 KB string into three more. That was ≈ 3–5 ms of every
// draft and domain run's start-up, for tables that are the same every time. The CLI bundle
// ships the seven tables as one binary file beside it (data/tldts-trie-<hash>.bin), made by
// running tldts's own code at build time, and tldts reads them from there. tldts publishes
// no such build, so the bundle rewrites these lines of its CommonJS output; a release that
// changes them fails the build here (each rewrite must match exactly once), and so does a
// rewritten module whose tables differ in one byte from those tldts builds itself.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The tables, in the order they are laid in the file. */
const TABLES = ['nodeFlags', 'edgeStart', 'edgeLength', 'edgeChild', 'edgeOffset', 'edgeHash', 'wildcardEdge'];

/** What tldts derives at load, from `const numberOfNodes` to the end of the hashing pass. */
const DERIVATION = /const numberOfNodes = nodeFlags\.length;\nconst numberOfEdges = edgeLength\.length;\nconst edgeOffset = new Uint32Array\(numberOfEdges\);\nconst edgeHash = new Uint32Array\(numberOfEdges\);\nconst wildcardEdge = new Int32Array\(numberOfNodes\)\.fill\(-1\);\nfor \(let node = 0, offset = 0; node < numberOfNodes; node \+= 1\) \{\n[\s\S]*?\n        offset = end;\n    \}\n\}\n/g;

/** The module's tables, as tldts's own code builds them. */
function tablesOf(source, path, require) {
  const module = { exports: {} };
  new Function('exports', 'require', 'module', '__filename', '__dirname', `${source}\nmodule.exports.__tables = { ${TABLES.join(', ')} };`)(module.exports, require, module, path, dirname(path));
  return module.exports.__tables;
}

function exactlyOnce(source, pattern, what) {
  const count = source.match(pattern)?.length ?? 0;
  if (count !== 1) throw new Error(`scripts/tldts-tables.js: expected one ${what} in tldts, found ${count}: tldts changed, review the rewrite`);
}

/** The esbuild plugin; `outdir` is where the bundle's files are written (the tables go in outdir/data/). */
export function tldtsTables(outdir) {
  return {
    name: 'tldts-tables',
    setup(b) {
      b.onLoad({ filter: /[\\/]tldts[\\/]dist[\\/]cjs[\\/]index\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const tables = tablesOf(source, args.path, createRequire(args.path));
        // Each table 8-byte aligned, so that a typed array can view it where it lies.
        const layout = [];
        let length = 0;
        for (const name of TABLES) {
          length = Math.ceil(length / 8) * 8;
          layout.push({ name, type: tables[name].constructor.name, offset: length, count: tables[name].length });
          length += tables[name].byteLength;
        }
        const file = Buffer.alloc(length);
        for (const { name, offset } of layout) Buffer.from(tables[name].buffer, tables[name].byteOffset, tables[name].byteLength).copy(file, offset);
        // Named by its bytes: a bundle may hold two tldts releases (mailauth brings its own).
        const dataFile = join('data', `tldts-trie-${createHash('sha256').update(file).digest('hex').slice(0, 12)}.bin`);
        mkdirSync(join(outdir, 'data'), { recursive: true });
        writeFileSync(join(outdir, dataFile), file);

        let rewritten = source;
        for (const name of TABLES.slice(0, 4)) {
          const literal = new RegExp(`const ${name} = /\\*#__PURE__\\*/ new \\w+Array\\(\\[[\\d, ]*\\]\\);\\n`, 'g');
          exactlyOnce(rewritten, literal, `array literal for ${name}`);
          rewritten = rewritten.replace(literal, '');
        }
        exactlyOnce(rewritten, DERIVATION, 'derivation of edgeOffset, edgeHash and wildcardEdge');
        const views = layout.map(({ name, type, offset, count }) => `const ${name} = new ${type}(trieBytes, ${offset}, ${count});`).join('\n');
        rewritten = rewritten.replace(
          DERIVATION,
          () =>
            `// presend's bundle: the trie tldts builds at load, read as built (scripts/tldts-tables.js).\n` +
            `const trieFile = require("fs").readFileSync(require("path").join(__dirname, ${JSON.stringify(dataFile)}));\n` +
            `const trieBytes = trieFile.buffer.slice(trieFile.byteOffset, trieFile.byteOffset + trieFile.byteLength);\n${views}\nconst numberOfNodes = nodeFlags.length;\nconst numberOfEdges = edgeLength.length;\n`,
        );
        // The tables the rewritten module reads must be, byte for byte, those tldts builds.
        const read = tablesOf(rewritten, join(outdir, 'tldts.js'), createRequire(args.path));
        for (const name of TABLES) {
          if (!Buffer.from(read[name].buffer, read[name].byteOffset, read[name].byteLength).equals(Buffer.from(tables[name].buffer, tables[name].byteOffset, tables[name].byteLength))) {
            throw new Error(`scripts/tldts-tables.js: the rewritten tldts reads a ${name} unlike the one tldts builds`);
          }
        }
        return { contents: rewritten, loader: 'js' };
      });
    },
  };
}
