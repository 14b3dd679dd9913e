/** The draft fingerprint that tells repeated drafts of one run: equal only for the same subject and texts. */
import { describe, expect, it } from 'vitest';
import { digest } from '../../src/message/digest.js';

describe('digest', () => {
  it('is 16 hex digits, the same for the same parts', () => {
    expect(digest('Your receipt', 'Hello')).toMatch(/^[0-9a-f]{16}$/);
    expect(digest('Your receipt', 'Hello')).toBe(digest('Your receipt', 'Hello'));
  });
  it.each([
    ['one character apart', ['Your receipt 5531', 'Hello'], ['Your receipt 5532', 'Hello']],
    ['the same characters, another split into parts', ['ab', 'c'], ['a', 'bc']],
    ['an empty part more', ['subject', 'body'], ['subject', 'body', '']],
    ['the parts swapped', ['subject', 'body'], ['body', 'subject']],
    ['non-Latin text one character apart', ['您的收据', '你好'], ['您的收据', '您好']],
  ])('differs: %s', (_case, a, b) => {
    expect(digest(...a)).not.toBe(digest(...b));
  });
});
