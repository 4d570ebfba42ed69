export interface DecodeTextOptions {
  /**
   * The bytes are the start of a longer output: an incomplete UTF-8 sequence at the very end is the cut,
   * not bad data, so it is dropped instead of shown as a replacement character.
   */
  truncated?: boolean;
}

/** Bytes as UTF-8 text; invalid sequences become U+FFFD so any output can be shown. */
export function decodeText(bytes: Uint8Array, options: DecodeTextOptions = {}): string {
  // ignoreBOM keeps a leading BOM in the text: evidence is shown as it is, not cleaned up.
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  return decoder.decode(bytes, { stream: options.truncated === true });
}
