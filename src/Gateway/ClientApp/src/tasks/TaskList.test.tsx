import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TaskList } from './TaskList';
import type { TaskSummary } from './taskTypes';

const row: TaskSummary = {
  id: 'tsk/1',
  status: 'Running',
  reason: null,
  moduleId: 'sha256:aa',
  price: '0.5',
  fee: '0.025',
  escrowState: 'Held',
  createdAt: '2026-03-01T10:00:00Z',
  updatedAt: '2026-03-01T10:05:00Z',
};

describe('TaskList', () => {
  it('links each row to its drawer, keeping the filter, and marks the open one', () => {
    const html = renderToStaticMarkup(<TaskList rows={[row]} filter="Running,Queued" openTaskId="tsk/1" />);

    expect(html).toContain('href="#/tasks/tsk%2F1?status=Running%2CQueued"');
    expect(html).toContain('id="task-link-tsk/1"');
    expect(html).toContain('aria-current="true"');
    expect(html).toContain('2026-03-01 10:05 UTC');
  });
});
