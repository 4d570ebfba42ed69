import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BalanceCards } from './BalanceCards';

describe('BalanceCards', () => {
  it('shows both amounts exactly, every decimal kept', () => {
    const html = renderToStaticMarkup(<BalanceCards balance={{ available: 1_234_500_000_001n, escrow: 525_000_000n }} />);

    expect(html).toContain('Available</span><strong class="balance-amount">1\u202f234.500000001 GSTD</strong>');
    expect(html).toContain('In escrow</span><strong class="balance-amount">0.525 GSTD</strong>');
    expect(html).not.toContain('updated');
  });

  it('shows a dash for a balance that could not be read', () => {
    const html = renderToStaticMarkup(<BalanceCards balance={null} />);

    expect(html.match(/<strong class="balance-amount">—<\/strong>/g)).toHaveLength(2);
  });
});
