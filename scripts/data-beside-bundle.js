// Part of the build (scripts/bundle.js): tables that the CLI bundle would carry as JavaScript
// are kept beside it as JSON files, read with require() when first needed. iconv-lite's
// double-byte tables (GBK, Big5, Shift_JIS, EUC-JP, EUC-KR: 420 KB) and libmime's MIME type
// table (88 KB) are data, but inlined in a chunk they are source that Node 20 parses on every
// `presend eml` start-up (≈ 1.4 ms per 100 KB with no compile cache) — most drafts never
// use them. A JSON file costs nothing until required, then one JSON.parse.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

const DATA = 'data';

/** The esbuild plugin; `outdir` is where the bundle's chunks are written (the data goes in outdir/data/). */
export function dataBesideBundle(outdir) {
  return {
    name: 'data-beside-bundle',
    setup(b) {
      const copies = new Map();
      // iconv-lite/encodings/dbcs-data.js: require("./tables/cp936.json") inside each codec's table().
      b.onResolve({ filter: /^\.\/tables\/[\w-]+\.json$/ }, (args) => {
        if (!/[\\/]iconv-lite[\\/]encodings$/.test(args.resolveDir)) return undefined;
        const name = `iconv-lite-${basename(args.path)}`;
        copies.set(name, (to) => copyFileSync(join(args.resolveDir, args.path), to));
        return { path: `./${DATA}/${name}`, external: true };
      });
      // libmime/dist/cjs/libmime.js: require("./mimetypes.js"), which only assigns two object literals.
      b.onResolve({ filter: /^\.\/mimetypes\.js$/ }, (args) => {
        if (!/[\\/]libmime[\\/]dist[\\/]cjs$/.test(args.resolveDir)) return undefined;
        const name = 'libmime-mimetypes.json';
        copies.set(name, (to) => {
          const { list, extensions } = createRequire(join(args.resolveDir, 'libmime.js'))('./mimetypes.js');
          writeFileSync(to, JSON.stringify({ list, extensions }));
        });
        return { path: `./${DATA}/${name}`, external: true };
      });
      b.onEnd((result) => {
        if (result.errors.length > 0) return;
        for (const [name, write] of copies) {
          const to = join(outdir, DATA, name);
          mkdirSync(dirname(to), { recursive: true });
          write(to);
        }
      });
    },
  };
}
