import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TaskActions } from './TaskActions';
import type { TasksApi } from './tasksApi';
import { testTask } from './testTask';

const tasks = {} as TasksApi;
const render = (status: string, reviewEndsAt: string | null = '2999-01-01T00:00:00Z') =>
  renderToStaticMarkup(<TaskActions tasks={tasks} task={testTask({ status, reviewEndsAt })} onChanged={() => {}} onDisputed={() => {}} />);

describe('TaskActions', () => {
  it('offers accept and dispute on a completed task', () => {
    const html = render('Completed');
    expect(html).toContain('>Accept result<');
    expect(html).toContain('Dispute result…');
    expect(html).not.toContain('Cancel task');
  });

  it('offers cancel while the task runs and a redrive once it is dead-lettered', () => {
    expect(render('Running')).toContain('>Cancel task<');
    expect(render('DeadLettered')).toContain('>Run again<');
  });

  it('shows nothing when the state allows no action', () => {
    expect(render('Settled')).toBe('');
  });
});
