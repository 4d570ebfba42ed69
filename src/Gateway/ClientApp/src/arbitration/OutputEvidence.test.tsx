import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OutputEvidence } from './OutputEvidence';

const base64Of = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

describe('OutputEvidence', () => {
  it('shows hostile output as literal text, never as markup', () => {
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const html = renderToStaticMarkup(<OutputEvidence heading="Submitted output" size={hostile.length} preview={base64Of(hostile)} />);

    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    // The hex dump's ASCII column carries the same bytes, escaped too.
    expect(html).toContain('|&lt;img src=x onerr|');
  });

  it('says how much of a long output the preview and the hex dump show', () => {
    const preview = new Uint8Array(5000).fill(0x41);
    const html = renderToStaticMarkup(
      <OutputEvidence heading="Re-execution 1" size={70_000} preview={btoa(String.fromCharCode(...preview))} />,
    );

    expect(html).toContain('The first 5,000 of 70,000 bytes.');
    expect(html).toContain('Hex dump of the first 4,096 of 70,000 bytes.');
    expect(html).toContain('00000ff0  41 41');
    expect(html).not.toContain('00001000');
  });

  it('says when the output is empty or the preview is broken', () => {
    expect(renderToStaticMarkup(<OutputEvidence heading="x" size={0} preview="" />)).toContain('The output is empty.');
    expect(renderToStaticMarkup(<OutputEvidence heading="x" size={3} preview="%%%" />)).toContain('The preview is not valid base64.');
  });
});
