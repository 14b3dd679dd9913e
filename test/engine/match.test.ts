import { describe, expect, it } from 'vitest';
import { conditionHolds, renderTemplate, type MatchContext } from '../../src/engine/match.js';
import { loadProfile } from '../../src/profile/load.js';
import type { Condition } from '../../src/profile/schema.js';
import type { Scalar } from '../../src/engine/types.js';

const ctx: MatchContext = { profile: loadProfile(), limits: { 'max-message-size': 1000, 'max-recipients': 5 }, lang: 'en' };

describe('conditionHolds', () => {
  const cases: [string, Scalar | Scalar[] | undefined, Condition, boolean][] = [
    ['scalar equality', 'fail', 'fail', true],
    ['case-insensitive strings', 'FAIL', 'fail', true],
    ['scalar inequality', 'pass', 'fail', false],
    ['boolean', true, true, true],
    ['boolean mismatch', false, true, false],
    ['one of a list', 'neutral', ['softfail', 'neutral', 'none'], true],
    ['none of a list', 'pass', ['softfail', 'neutral'], false],
    ['gt number', 11, { gt: 10 }, true],
    ['gt boundary', 10, { gt: 10 }, false],
    ['gte and lt together', 9, { gte: 9, lt: 11 }, true],
    ['gte and lt outside', 11, { gte: 9, lt: 11 }, false],
    ['gt a named limit', 1001, { gt: 'limit:max-message-size' }, true],
    ['under a named limit', 999, { gt: 'limit:max-message-size' }, false],
    ['gt on a non-number never holds', 'x', { gt: 1 }, false],
    ['inList', '.scr', { inList: 'forbidden-attachment-extensions' }, true],
    ['inList miss', '.pdf', { inList: 'forbidden-attachment-extensions' }, false],
    ['notInList', '.pdf', { notInList: 'forbidden-attachment-extensions' }, true],
    ['not', 'ok', { not: ['missing', 'weak'] }, true],
    ['exists', undefined, { exists: false }, true],
    ['array value matches any element', ['a', 'b'], 'b', true],
  ];
  it.each(cases)('%s', (_name, value, condition, expected) => {
    expect(conditionHolds(value, condition, ctx)).toBe(expected);
  });
});

describe('renderTemplate', () => {
  it('fills fields and leaves unknown ones visible', () => {
    expect(renderTemplate('{a} and {b} and {c}', { a: 1, b: ['x', 'y'] })).toBe('1 and x, y and {c}');
  });
});
