import { describe, expect, it } from 'vitest';
import type { TrackedTask } from './activeTasks';
import { layoutClusters } from './clusters';
import { cellLabel, clusterBreakdown, summariseTasks, taskPlacementLabel } from './mapSummary';

type TaskCell = { lat: number; lon: number } | null;

function task(id: string, state: TrackedTask['state'], cell: TaskCell): TrackedTask {
  return { id, state, cell, completedAt: state === 'completed' ? 0 : null, placedLive: true };
}

const tasks = new Map(
  [
    task('a', 'running', { lat: 48, lon: 2 }),
    task('b', 'verifying', { lat: 48, lon: 2 }),
    task('c', 'assigned', { lat: -12, lon: -77 }),
    task('d', 'queued', null),
    task('e', 'running', null),
    task('f', 'assigned', null),
    task('g', 'completed', { lat: 35, lon: 139 }),
  ].map((t) => [t.id, t] as const),
);

describe('summariseTasks and taskPlacementLabel', () => {
  it('counts states, leaves completed tasks out of the active ones and names the cells with work', () => {
    const summary = summariseTasks(tasks);

    expect(summary.counts).toMatchObject({ queued: 1, assigned: 2, running: 2, verifying: 1, completed: 1 });
    expect(summary.active).toBe(6);
    expect(summary.unlocated).toBe(2);
    expect(taskPlacementLabel(summary, layoutClusters(tasks))).toBe('6 active tasks, 3 of them on 2 cells');
  });

  it('speaks of one task in the singular and leaves out "of them" when every task is placed', () => {
    const one = new Map([['a', task('a', 'running', { lat: 1, lon: 1 })]]);
    expect(taskPlacementLabel(summariseTasks(one), layoutClusters(one))).toBe('1 active task on 1 cell');
    expect(taskPlacementLabel(summariseTasks(new Map()), [])).toBe('No active tasks');
  });
});

describe('clusterBreakdown', () => {
  it('lists the states of a cell in legend order', () => {
    const paris = layoutClusters(tasks).find((c) => c.key === '48,2');
    expect(paris && clusterBreakdown(paris)).toBe('1 running, 1 verifying');
  });
});

describe('cellLabel', () => {
  it('names the hemisphere and leaves the equator and meridian bare', () => {
    expect(cellLabel({ lat: 48, lon: 2 })).toBe('48° N, 2° E');
    expect(cellLabel({ lat: -12, lon: -77 })).toBe('12° S, 77° W');
    expect(cellLabel({ lat: 0, lon: 0 })).toBe('0°, 0°');
  });
});
