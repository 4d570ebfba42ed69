import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Attempt } from '../api/types';
import { AttemptsTable } from './AttemptsTable';

const attempt: Attempt = {
  number: 1,
  workerId: 'wrk_a',
  workerCell: { lat: 52, lon: 5 },
  lease: 3,
  startedAt: '2026-03-01T10:20:30Z',
  endedAt: null,
  outcome: 'Failed',
  error: { code: 'trap', message: 'unreachable <executed>' },
};

describe('AttemptsTable', () => {
  it('shows the worker cell and the error as text, not as objects', () => {
    const html = renderToStaticMarkup(<AttemptsTable attempts={[attempt, { ...attempt, number: 2, workerCell: null, outcome: null, error: null }]} />);

    expect(html).toContain('52°, 5°');
    expect(html).toContain('trap: unreachable &lt;executed&gt;');
    expect(html).toContain('<td>—</td>');
  });
});
