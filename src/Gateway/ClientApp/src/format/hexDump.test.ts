import { describe, expect, it } from 'vitest';
import { hexDump } from './hexDump';

const range = (count: number) => Uint8Array.from({ length: count }, (_, i) => i);

describe('hexDump', () => {
  it('lays out 20 bytes like hexdump -C, non-printables as dots', () => {
    expect(hexDump(range(20))).toEqual({
      lines: [
        '00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|',
        '00000010  10 11 12 13                                       |....|',
      ],
      shownBytes: 20,
      truncated: false,
    });
  });

  it('shows printable ASCII as itself and everything else, including DEL and high bytes, as a dot', () => {
    const bytes = new Uint8Array([0x48, 0x69, 0x20, 0x7e, 0x7f, 0x1f, 0x80, 0xff, 0x3c]);
    expect(hexDump(bytes).lines).toEqual(['00000000  48 69 20 7e 7f 1f 80 ff  3c                       |Hi ~....<|']);
  });

  it('keeps every line the same width up to the ASCII column', () => {
    for (let count = 1; count <= 40; count++) {
      for (const line of hexDump(range(count)).lines) {
        expect(line.indexOf('|')).toBe(60);
      }
    }
  });

  it('stops at the limit and says so', () => {
    const dump = hexDump(new Uint8Array(5000), 4096);
    expect(dump.lines).toHaveLength(256);
    expect(dump.lines.at(-1)?.startsWith('00000ff0  ')).toBe(true);
    expect(dump).toMatchObject({ shownBytes: 4096, truncated: true });
  });

  it('answers no lines for no bytes', () => {
    expect(hexDump(new Uint8Array(0))).toEqual({ lines: [], shownBytes: 0, truncated: false });
  });
});
