import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { seriesFrom } from './spendSeries';
import { SpendTotals } from './SpendTotals';

const from = Date.parse('2026-03-01T10:00:00Z');

describe('SpendTotals', () => {
  it('totals the range exactly and lists only the buckets where money moved, newest first', () => {
    const series = seriesFrom('minute', from, 3, [
      { start: from, spent: 100_000_000n, refunded: 0n, held: 200_000_000n },
      { start: from + 120_000, spent: 200_000_000n, refunded: 1n, held: 0n },
    ]);
    const html = renderToStaticMarkup(<SpendTotals series={series} phrase="in the last hour, by minute" />);

    expect(html).toContain('<caption>Totals in the last hour, by minute</caption>');
    expect(html).toContain('data-testid="spend-total-spent">0.3 GSTD<');
    expect(html).toContain('data-testid="spend-total-refunded">0.000000001 GSTD<');
    expect(html).toContain('data-testid="spend-total-held">0.2 GSTD<');
    expect(html).toContain('Each minute with money moving (2)');
    expect(html.indexOf('2026-03-01 10:02 UTC')).toBeLessThan(html.indexOf('2026-03-01 10:00 UTC'));
    expect(html).not.toContain('2026-03-01 10:01 UTC');
  });

  it('leaves out the bucket list when nothing moved', () => {
    const html = renderToStaticMarkup(<SpendTotals series={seriesFrom('day', from, 30, [])} phrase="in the last 30 days, by day" />);

    expect(html).toContain('data-testid="spend-total-spent">0 GSTD<');
    expect(html).not.toContain('<details');
  });
});
