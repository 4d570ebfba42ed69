import { describe, expect, it } from 'vitest';
import { parseWorkerShare } from './workerShare';

describe('parseWorkerShare', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['0.3', 0.3],
    [' .25 ', 0.25],
    ['0.0001', 0.0001],
    ['0.99990', 0.9999],
    ['1.0000', 1],
  ])('accepts %j as %d', (text, value) => {
    expect(parseWorkerShare(text)).toEqual({ ok: true, value });
  });

  it.each(['', '  ', '.', 'abc', '-0.1', '1.5', '2', '0.5e1', '1e-4', '0,5', 'NaN', 'Infinity'])('refuses %j', (text) => {
    expect(parseWorkerShare(text).ok).toBe(false);
  });

  it('refuses more than four decimals, as the gateway does', () => {
    expect(parseWorkerShare('0.12345')).toEqual({ ok: false, error: 'The worker share can have at most 4 decimals.' });
  });
});
