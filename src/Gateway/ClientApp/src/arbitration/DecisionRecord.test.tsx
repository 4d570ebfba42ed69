import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Decision, Dispute } from '../api/types';
import { DecisionRecord } from './DecisionRecord';

const decision: Decision = { by: 'acc_admin', at: '2026-03-01T10:20:30Z', note: 'Half of it <b>was</b> right.', automatic: false };
const dispute = { outcome: 'split', workerShare: 0.3 } as Dispute;

describe('DecisionRecord', () => {
  it('says who decided, when and why, with the share of a split', () => {
    const html = renderToStaticMarkup(<DecisionRecord dispute={dispute} decision={decision} />);

    expect(html).toContain('Decided by acc_admin at 2026-03-01 10:20 UTC: Half of it &lt;b&gt;was&lt;/b&gt; right.');
    expect(html).toContain('<strong data-testid="dispute-outcome">split</strong>');
    expect(html).toContain('<span data-testid="dispute-worker-share">0.3</span> (30%)');
    expect(html).not.toContain('automatically');
  });

  it('marks the platform’s own decisions and leaves out a missing note', () => {
    const automatic = { ...decision, by: 'platform', note: null, automatic: true };
    const html = renderToStaticMarkup(<DecisionRecord dispute={{ ...dispute, outcome: 'refund', workerShare: 0 }} decision={automatic} />);

    expect(html).toContain('Decided by platform at 2026-03-01 10:20 UTC.');
    expect(html).toContain('The platform decided this automatically.');
    expect(html).not.toContain('worker share');
  });
});
