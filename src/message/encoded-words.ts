/**
 * RFC 2047 encoded words (`=?GB2312?B?…?=`) decoded as postal-mime decodes them. A module of
 * its own so that a check can load the decoder on first use and the CLI bundle takes only
 * this part of postal-mime, not its whole MIME parser (scripts/bundle.js).
 */
export { decodeWords } from 'postal-mime';
