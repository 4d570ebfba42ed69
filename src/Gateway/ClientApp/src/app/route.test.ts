import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from './route';

describe('parseRoute', () => {
  it('reads the home, queue and dispute pages', () => {
    expect(parseRoute('')).toEqual({ page: 'home' });
    expect(parseRoute('#/')).toEqual({ page: 'home' });
    expect(parseRoute('#/arbitration')).toEqual({ page: 'arbitration', status: 'AwaitingArbitration' });
    expect(parseRoute('#/arbitration?status=Resolved')).toEqual({ page: 'arbitration', status: 'Resolved' });
    expect(parseRoute('#/arbitration?status=All')).toEqual({ page: 'arbitration', status: 'All' });
    expect(parseRoute('#/arbitration/disputes/dsp_1')).toEqual({ page: 'dispute', id: 'dsp_1' });
  });

  it('reads the task, submit and worker pages', () => {
    expect(parseRoute('#/tasks')).toEqual({ page: 'tasks', status: null, taskId: null });
    expect(parseRoute('#/tasks/tsk_9?status=Running')).toEqual({ page: 'tasks', status: 'Running', taskId: 'tsk_9' });
    expect(parseRoute('#/tasks/new')).toEqual({ page: 'submit' });
    expect(parseRoute('#/workers/wrk_1')).toEqual({ page: 'workers', workerId: 'wrk_1' });
    expect(parseRoute('#/tasks/a/b')).toEqual({ page: 'not-found' });
  });

  it('falls back to the default status for an unknown one', () => {
    expect(parseRoute('#/arbitration?status=Bogus')).toEqual({ page: 'arbitration', status: 'AwaitingArbitration' });
  });

  it('answers not-found for other paths and broken escapes', () => {
    expect(parseRoute('#/nope')).toEqual({ page: 'not-found' });
    expect(parseRoute('#/arbitration/x')).toEqual({ page: 'not-found' });
    expect(parseRoute('#/arbitration/disputes/%E0%A4%A')).toEqual({ page: 'not-found' });
  });

  it('reads back every link it makes', () => {
    const routes: Route[] = [
      { page: 'home' },
      { page: 'arbitration', status: 'AwaitingArbitration' },
      { page: 'arbitration', status: 'Open' },
      { page: 'dispute', id: 'dsp_a/b?c#d' },
      { page: 'tasks', status: null, taskId: null },
      { page: 'tasks', status: 'Queued,Running', taskId: 'tsk_1' },
      { page: 'submit' },
      { page: 'workers', workerId: null },
      { page: 'workers', workerId: 'wrk_a/b' },
    ];
    for (const route of routes) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
  });
});
