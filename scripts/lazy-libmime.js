// Part of the build (scripts/bundle.js): libmime, which @zone-eu/mailsplit reads headers with,
// does at load what most drafts never need — builds iconv-lite's GBK decoding table and loads
// every iconv-lite encoding (to compare codecs by identity), loads encoding-japanese, and
// evaluates its table of 2,000 MIME types. That was ≈ 10 ms of every `presend eml` start-up.
// The CLI bundle defers each to its first use, with the same values: the same codec objects
// compared, the same tables read. libmime publishes no lazier build, so the bundle rewrites
// these lines of its CommonJS output; a release that changes them fails the build here
// (each rewrite must match exactly once) instead of shipping unpatched or broken.
import { readFileSync } from 'node:fs';

const rewrites = {
  'charset.js': [
    [
      'const encoding_japanese_1 = __importDefault(require("encoding-japanese"));',
      'const encoding_japanese_1 = { get default() { return require("encoding-japanese"); } };',
    ],
    [
      "const UNSUPPORTED_CODECS = new Set(['utf7', 'utf7imap', 'base64', 'hex'].map(name => iconv_lite_1.default.getCodec(name)));",
      "let unsupportedCodecs;\nconst UNSUPPORTED_CODECS = { has: (codec) => (unsupportedCodecs ??= new Set(['utf7', 'utf7imap', 'base64', 'hex'].map(name => iconv_lite_1.default.getCodec(name)))).has(codec) };",
    ],
    ["const DBCS_DECODER = iconv_lite_1.default.getCodec('gbk').decoder;", "let dbcsDecoder;\nconst DBCS_DECODER = () => (dbcsDecoder ??= iconv_lite_1.default.getCodec('gbk').decoder);"],
    ['if (codec.decoder === DBCS_DECODER) {', 'if (codec.decoder === DBCS_DECODER()) {'],
    [
      "const BYTE_ORDER_GUESSING = new Map([\n    [iconv_lite_1.default.getCodec('utf-16'), 200],\n    [iconv_lite_1.default.getCodec('utf-32'), 400]\n]);",
      "let byteOrderGuessing;\nconst BYTE_ORDER_GUESSING = { get: (codec) => (byteOrderGuessing ??= new Map([[iconv_lite_1.default.getCodec('utf-16'), 200], [iconv_lite_1.default.getCodec('utf-32'), 400]])).get(codec) };",
    ],
  ],
  'libmime.js': [
    [
      'const mimetypes = __importStar(require("./mimetypes.js"));',
      'const mimetypes = { get list() { return require("./mimetypes.js").list; }, get extensions() { return require("./mimetypes.js").extensions; } };',
    ],
  ],
};

function rewrite(path, source, pairs) {
  let out = source;
  for (const [from, to] of pairs) {
    const count = out.split(from).length - 1;
    if (count !== 1) throw new Error(`scripts/lazy-libmime.js: expected one "${from.split('\n')[0]}" in ${path}, found ${count}: libmime changed, review the rewrites`);
    out = out.replace(from, () => to);
  }
  return out;
}

/** The esbuild plugin: libmime's charset.js and libmime.js, rewritten as above. */
export const lazyLibmime = {
  name: 'lazy-libmime',
  setup(b) {
    const seen = new Set();
    b.onLoad({ filter: /[\\/]libmime[\\/]dist[\\/]cjs[\\/](charset|libmime)\.js$/ }, (args) => {
      const name = args.path.endsWith('charset.js') ? 'charset.js' : 'libmime.js';
      seen.add(name);
      return { contents: rewrite(args.path, readFileSync(args.path, 'utf8'), rewrites[name]), loader: 'js' };
    });
    b.onEnd((result) => {
      // A build that bundles libmime at all must have rewritten both files.
      if (result.errors.length === 0 && seen.size > 0 && seen.size !== Object.keys(rewrites).length) throw new Error(`scripts/lazy-libmime.js: rewrote only ${[...seen].join(', ')}`);
    });
  },
};
