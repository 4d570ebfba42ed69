import { describe, expect, it } from 'vitest';
import { decodeText } from './decodeText';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('decodeText', () => {
  it('decodes UTF-8', () => {
    expect(decodeText(new TextEncoder().encode('héllo ✓ 😀'))).toBe('héllo ✓ 😀');
  });

  it('shows invalid sequences as replacement characters instead of failing', () => {
    expect(decodeText(bytes(0x61, 0xff, 0x62, 0xc3))).toBe('a\uFFFDb\uFFFD');
  });

  it('drops a character cut at the end of a truncated preview', () => {
    // "é" is c3 a9; the preview ends after its first byte.
    expect(decodeText(bytes(0x61, 0xc3), { truncated: true })).toBe('a');
    expect(decodeText(bytes(0xff, 0x61), { truncated: true })).toBe('\uFFFDa');
  });

  it('keeps a leading byte order mark, the evidence as it is', () => {
    expect(decodeText(bytes(0xef, 0xbb, 0xbf, 0x61))).toBe('\uFEFFa');
  });
});
