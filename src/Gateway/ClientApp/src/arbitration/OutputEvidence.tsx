import type { ReactNode } from 'react';
import { base64ToBytes } from '../format/base64ToBytes';
import { decodeText } from '../format/decodeText';
import { DEFAULT_HEX_DUMP_LIMIT, hexDump } from '../format/hexDump';

interface OutputEvidenceProps {
  heading: string;
  /** The full output's size; the preview may hold only its start. */
  size: number;
  /** Base64 of the output's first bytes. */
  preview: string;
  /** Facts about this output (hash, outcome, whether it matches), shown above the bytes. */
  children?: ReactNode;
}

/**
 * One output as text and as a hex dump. The bytes come from a worker and may be hostile: they are only ever
 * rendered as React text nodes, which escape them.
 */
export function OutputEvidence({ heading, size, preview, children }: OutputEvidenceProps) {
  let bytes: Uint8Array | null;
  try {
    bytes = base64ToBytes(preview);
  } catch {
    bytes = null;
  }

  return (
    <section className="output" aria-label={heading}>
      <h3>{heading}</h3>
      {children}
      {bytes === null ? (
        <p className="error">The preview is not valid base64.</p>
      ) : (
        <OutputBytes bytes={bytes} size={size} />
      )}
    </section>
  );
}

function OutputBytes({ bytes, size }: { bytes: Uint8Array; size: number }) {
  if (size === 0) {
    return <p className="muted">The output is empty.</p>;
  }
  const previewIsPartial = bytes.length < size;
  const dump = hexDump(bytes, DEFAULT_HEX_DUMP_LIMIT);
  return (
    <>
      <h4>Text</h4>
      {previewIsPartial && (
        <p className="muted">
          The first {bytes.length.toLocaleString('en')} of {size.toLocaleString('en')} bytes.
        </p>
      )}
      <pre className="output-text">{decodeText(bytes, { truncated: previewIsPartial })}</pre>
      <h4>Hex</h4>
      {dump.shownBytes < size && (
        <p className="muted">
          Hex dump of the first {dump.shownBytes.toLocaleString('en')} of {size.toLocaleString('en')} bytes.
        </p>
      )}
      <pre className="output-hex">{dump.lines.join('\n')}</pre>
    </>
  );
}
