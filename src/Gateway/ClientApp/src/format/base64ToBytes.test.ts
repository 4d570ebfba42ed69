import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes } from './base64ToBytes';

describe('base64ToBytes', () => {
  it('decodes padded base64, including bytes above 0x7f', () => {
    expect(Array.from(base64ToBytes('aGk='))).toEqual([0x68, 0x69]);
    expect(Array.from(base64ToBytes('/wCAfw=='))).toEqual([0xff, 0x00, 0x80, 0x7f]);
    expect(base64ToBytes('')).toHaveLength(0);
  });

  it('answers the bytes that were encoded', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const base64 = btoa(String.fromCharCode(...bytes));
        expect(base64ToBytes(base64)).toEqual(bytes);
      }),
    );
  });

  it('throws on what is not base64', () => {
    expect(() => base64ToBytes('not base64!')).toThrow();
  });
});
