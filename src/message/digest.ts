/**
 * A 64-bit fingerprint of a draft's subject and body texts, to tell the drafts of one run
 * that are the same mail sent again. Nothing hostile rides on it, so a fast non-cryptographic
 * hash serves (cyrb53's two multiply–xor lanes, kept at 64 bits): node:crypto costs 3–8 ms
 * to load, more than the rest of reading a small draft.
 */
export function digest(...parts: readonly string[]): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const [index, part] of parts.entries()) {
    // A separator between parts, so ["ab", "c"] and ["a", "bc"] differ.
    if (index > 0) {
      h1 = Math.imul(h1 ^ 0x1f, 2654435761);
      h2 = Math.imul(h2 ^ 0x1f, 1597334677);
    }
    for (let i = 0; i < part.length; i++) {
      const ch = part.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
