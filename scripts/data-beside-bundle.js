// Part of the build (scripts/bundle.js): tables that the CLI bundle would carry as JavaScript
// are kept beside it as JSON files, read with require() when first needed. iconv-lite's
// double-byte tables (GBK, Big5, Shift_JIS, EUC-JP, EUC-KR: 420 KB) and libmime's MIME type
// table (88 KB) are data, but inlined in a chunk they are source that Node 20 parses on every
// `presend eml` start-up (≈ 1.4 ms per 100 KB with no compile cache) — most drafts never
// use them. A JSON file costs nothing until required, then one JSON.parse.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';

const DATA = 'data';

/** The esbuild plugin; `outdir` is where the bundle's chunks are written (the data goes in outdir/data/). */
export function dataBesideBundle(outdir) {
  return {
    name: 'data-beside-bundle',
    setup(b) {
      const copies = new Map();
      // Named by their bytes: a bundle may hold two releases of one package (mailauth and
      // mailsplit each bring their own libmime), whose tables must not overwrite each other.
      const besideBundle = (stem, bytes) => {
        const name = `${stem}-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.json`;
        copies.set(name, bytes);
        return { path: `./${DATA}/${name}`, external: true };
      };
      // iconv-lite/encodings/dbcs-data.js: require("./tables/cp936.json") inside each codec's table().
      b.onResolve({ filter: /^\.\/tables\/[\w-]+\.json$/ }, (args) => {
        if (!/[\\/]iconv-lite[\\/]encodings$/.test(args.resolveDir)) return undefined;
        return besideBundle(`iconv-lite-${basename(args.path, '.json')}`, readFileSync(join(args.resolveDir, args.path)));
      });
      // libmime/dist/cjs/libmime.js: require("./mimetypes.js"), which only assigns two object literals.
      b.onResolve({ filter: /^\.\/mimetypes\.js$/ }, (args) => {
        if (!/[\\/]libmime[\\/]dist[\\/]cjs$/.test(args.resolveDir)) return undefined;
        const { list, extensions } = createRequire(join(args.resolveDir, 'libmime.js'))('./mimetypes.js');
        return besideBundle('libmime-mimetypes', Buffer.from(JSON.stringify({ list, extensions })));
      });
      b.onEnd((result) => {
        if (result.errors.length > 0) return;
        mkdirSync(join(outdir, DATA), { recursive: true });
        for (const [name, bytes] of copies) writeFileSync(join(outdir, DATA, name), bytes);
      });
    },
  };
}
