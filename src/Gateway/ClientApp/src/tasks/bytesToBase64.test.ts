import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../format/base64ToBytes';
import { bytesToBase64 } from './bytesToBase64';

describe('bytesToBase64', () => {
  it('writes standard padded base64', () => {
    expect(bytesToBase64(new Uint8Array([0x68, 0x69]))).toBe('aGk=');
    expect(bytesToBase64(new Uint8Array([0xff, 0x00, 0x80, 0x7f]))).toBe('/wCAfw==');
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });

  it('reads back as the same bytes, across chunk boundaries too', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
      }),
    );
    const large = Uint8Array.from({ length: 70_001 }, (_, i) => (i * 7) % 256);
    const decoded = base64ToBytes(bytesToBase64(large));
    expect(decoded.length).toBe(large.length);
    expect(decoded.every((byte, i) => byte === large[i])).toBe(true);
  });
});
