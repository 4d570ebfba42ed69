import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../format/base64ToBytes';
import { bytesToBase64 } from './bytesToBase64';
import { outputPreview } from './outputPreview';

describe('outputPreview', () => {
  it('answers the size and the first bytes of any output', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 3, max: 250 }), (bytes, maxBytes) => {
        const { preview, size } = outputPreview(bytesToBase64(bytes), maxBytes);
        const shown = base64ToBytes(preview);

        expect(size).toBe(bytes.length);
        expect(shown.length).toBeLessThanOrEqual(maxBytes);
        expect(shown).toEqual(bytes.subarray(0, shown.length));
        expect(shown.length).toBe(Math.min(bytes.length, Math.floor(maxBytes / 3) * 3));
      }),
    );
  });
});
