import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayMoney, formatMoney, parseMoney } from './money';

describe('money', () => {
  it('reads the API amounts exactly', () => {
    expect(parseMoney('1.25')).toBe(1_250_000_000n);
    expect(parseMoney('0.000000001')).toBe(1n);
    expect(parseMoney('-3')).toBe(-3_000_000_000n);
    expect(parseMoney('9007199254.740993')).toBe(9_007_199_254_740_993_000n);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', '1.', '.5', '1e3', '0.0000000001', 'NaN', '1,5']) {
      expect(() => parseMoney(bad)).toThrow();
    }
  });

  it('writes amounts the way the API does, digits grouped', () => {
    expect(formatMoney(1_250_000_000n)).toBe('1.25');
    expect(formatMoney(-100_000_000n)).toBe('-0.1');
    expect(formatMoney(1_234_567_000_000_000n)).toBe('1\u202f234\u202f567');
    expect(displayMoney('0.5')).toBe('0.5 GSTD');
  });

  it('round-trips every nano amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (nano) => {
        expect(parseMoney(formatMoney(nano).replaceAll('\u202f', ''))).toBe(nano);
      }),
    );
  });
});
