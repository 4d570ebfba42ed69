/** How much of an inline output the drawer shows as text and hex, like the dispute evidence previews. */
export const OUTPUT_PREVIEW_BYTES = 64 * 1024;

/**
 * The start of a base64 output, at most `maxBytes` decoded, and the whole output's size, without decoding all of
 * it: an inline output can be large, and the page shows only its first bytes.
 */
export function outputPreview(base64: string, maxBytes = OUTPUT_PREVIEW_BYTES): { preview: string; size: number } {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  const size = Math.max(0, (base64.length / 4) * 3 - padding);
  // Whole groups of 3 bytes (4 characters), so the cut preview is still valid base64.
  const keptChars = Math.floor(maxBytes / 3) * 4;
  return { preview: base64.length <= keptChars ? base64 : base64.slice(0, keptChars), size };
}
