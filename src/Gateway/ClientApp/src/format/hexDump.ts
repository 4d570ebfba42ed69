export const BYTES_PER_LINE = 16;
export const DEFAULT_HEX_DUMP_LIMIT = 4096;

export interface HexDump {
  /** One line per 16 bytes, laid out like `hexdump -C`: offset, hex in two groups of 8, printable ASCII. */
  lines: string[];
  /** How many bytes the lines show. */
  shownBytes: number;
  /** Whether bytes past the limit were left out. */
  truncated: boolean;
}

// 16 × 2 digits, 15 separating spaces and one more between the two groups of 8.
const hexWidth = BYTES_PER_LINE * 3;

/** A hex dump of at most `limit` bytes. */
export function hexDump(bytes: Uint8Array, limit = DEFAULT_HEX_DUMP_LIMIT): HexDump {
  const shownBytes = Math.min(bytes.length, Math.max(0, limit));
  const lines: string[] = [];
  for (let offset = 0; offset < shownBytes; offset += BYTES_PER_LINE) {
    const end = Math.min(offset + BYTES_PER_LINE, shownBytes);
    let hex = '';
    let ascii = '';
    for (let i = offset; i < end; i++) {
      const byte = bytes[i]!;
      hex += (i === offset ? '' : i - offset === 8 ? '  ' : ' ') + byte.toString(16).padStart(2, '0');
      ascii += printable(byte);
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(hexWidth)}  |${ascii}|`);
  }
  return { lines, shownBytes, truncated: shownBytes < bytes.length };
}

function printable(byte: number): string {
  return byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : '.';
}
