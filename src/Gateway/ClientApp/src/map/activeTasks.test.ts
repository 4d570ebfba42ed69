import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPLETED_FADE_MS,
  hasWorker,
  mapStateOf,
  nextExpiry,
  reduceActiveTasks,
  taskPlacementOf,
  type ActiveTasks,
  type TrackerAction,
} from './activeTasks';
import { summariseTasks } from './mapSummary';

type TaskCell = { lat: number; lon: number } | null;

const empty: ActiveTasks = new Map();
const paris = { lat: 48, lon: 2 };
const lima = { lat: -12, lon: -77 };

function event(taskId: string, status: string, workerCell: TaskCell = null): TrackerAction {
  return { type: 'event', task: { id: taskId, status, workerCell } };
}

function run(actions: TrackerAction[], now = 0, start: ActiveTasks = empty): ActiveTasks {
  return reduceActiveTasks(start, actions, now);
}

describe('reduceActiveTasks', () => {
  it('loads the active tasks of the list at the cells of their workers', () => {
    const tasks = run([
      {
        type: 'snapshot',
        tasks: [
          { id: 'a', status: 'Queued', workerCell: null },
          { id: 'b', status: 'Running', workerCell: paris },
          { id: 'c', status: 'RetryWaiting', workerCell: lima },
          { id: 'd', status: 'Settled', workerCell: null },
        ],
      },
    ]);

    expect([...tasks.values()].map((t) => [t.id, t.state, t.cell])).toEqual([
      ['a', 'queued', null],
      ['b', 'running', paris],
      // No worker holds a task waiting to retry, whatever cell came with it.
      ['c', 'retrying', null],
    ]);
  });

  it('places a task at the cell its event carries and moves it with a new worker', () => {
    const assigned = run([event('t', 'Assigned', lima)]);
    expect(assigned.get('t')).toMatchObject({ state: 'assigned', cell: lima });

    const reassigned = run([event('t', 'RetryWaiting'), event('t', 'Assigned', paris), event('t', 'Running', paris)], 0, assigned);
    expect(reassigned.get('t')).toMatchObject({ state: 'running', cell: paris });
  });

  it('takes an assigned task whose event has no cell as held by a worker with no location', () => {
    const tasks = run([event('t', 'Assigned', null)]);

    expect(tasks.get('t')).toMatchObject({ state: 'assigned', cell: null });
    expect(summariseTasks(tasks).unlocated).toBe(1);
  });

  it('fades a completed task out at its cell without restarting the fade on a repeated event', () => {
    const placed = run([event('t', 'Running', paris), event('t', 'Verifying', paris), event('t', 'Completed', paris)], 1000);
    expect(placed.get('t')).toMatchObject({ state: 'completed', cell: paris, completedAt: 1000 });
    expect(run([event('t', 'Completed', paris)], 2000, placed)).toBe(placed);

    expect(nextExpiry(placed)).toBe(1000 + COMPLETED_FADE_MS);
    expect(run([{ type: 'expire' }], 1000 + COMPLETED_FADE_MS - 1, placed)).toBe(placed);
    expect(run([{ type: 'expire' }], 1000 + COMPLETED_FADE_MS, placed).size).toBe(0);
  });

  it('drops a completed task with no cell at once', () => {
    expect(run([event('t', 'Running', paris), event('t', 'Completed', null)]).size).toBe(0);
  });

  it('returns the same map when an event changes nothing', () => {
    const tasks = run([event('t', 'Running', paris)]);
    expect(run([event('t', 'Running', { ...paris }), event('x', 'Settled')], 0, tasks)).toBe(tasks);
  });

  it('replaces what was known with the list on a resync', () => {
    const before = run([event('t', 'Running', paris), event('gone', 'Queued')]);
    const reloaded = run([{ type: 'snapshot', tasks: [{ id: 't', status: 'Verifying', workerCell: lima }] }], 0, before);

    expect([...reloaded.values()]).toEqual([{ id: 't', state: 'verifying', cell: lima, completedAt: null, placedLive: false }]);
  });

  it('fades in the dots that appear through events, not those of the list', () => {
    const listed = run([
      {
        type: 'snapshot',
        tasks: [
          { id: 'placed', status: 'Running', workerCell: paris },
          { id: 'waiting', status: 'Queued', workerCell: null },
        ],
      },
    ]);
    const later = run([event('placed', 'Verifying', paris), event('waiting', 'Assigned', lima), event('new', 'Assigned', paris)], 0, listed);

    expect(later.get('placed')?.placedLive).toBe(false);
    expect(later.get('waiting')?.placedLive).toBe(true);
    expect(later.get('new')?.placedLive).toBe(true);
    // Back in the queue and on another worker: its dot leaves and a new one fades in.
    const moved = run([event('placed', 'RetryWaiting'), event('placed', 'Assigned', lima)], 0, later);
    expect(moved.get('placed')).toMatchObject({ cell: lima, placedLive: true });
  });

  const statuses = [
    ...['Queued', 'Assigned', 'Running', 'Verifying', 'Completed', 'Disputed'],
    ...['Settled', 'Refunded', 'RetryWaiting', 'DeadLettered', 'Expired', 'Cancelled'],
  ];

  it('ends with each task in the state and cell of its last event, terminal ones removed', () => {
    const cell = fc.option(fc.constantFrom(paris, lima, { lat: 0, lon: 0 }));
    const placement = fc.record({ id: fc.constantFrom('a', 'b', 'c'), status: fc.constantFrom(...statuses), workerCell: cell });
    fc.assert(
      fc.property(fc.array(placement), fc.integer({ min: 1, max: 5 }), (events, batches) => {
        // Applying in several batches must end where one batch ends.
        const actions: TrackerAction[] = events.map((task) => ({ type: 'event', task }));
        const size = Math.ceil(actions.length / batches) || 1;
        let tasks = empty;
        for (let i = 0; i < actions.length; i += size) {
          tasks = reduceActiveTasks(tasks, actions.slice(i, i + size), 0);
        }
        expect(tasks).toEqual(run(actions));

        const last = new Map(events.map((e) => [e.id, e] as const));
        for (const [id, { status, workerCell }] of last) {
          const state = mapStateOf(status);
          const expectedCell = state !== null && hasWorker(state) ? workerCell : null;
          const expected = state === null || (state === 'completed' && expectedCell === null) ? undefined : { state, cell: expectedCell };
          const task = tasks.get(id);
          expect(task && { state: task.state, cell: task.cell }).toEqual(expected);
        }
      }),
    );
  });
});

describe('taskPlacementOf', () => {
  const base = { id: 'e1', at: '2025-01-01T00:00:00Z' };

  it('reads the task, its status and its worker cell from a task event', () => {
    expect(taskPlacementOf({ ...base, kind: 'task.running', taskId: 't', status: 'Running', workerCell: paris })).toEqual({
      id: 't',
      status: 'Running',
      workerCell: paris,
    });
  });

  it('takes a missing or malformed cell as none and skips other events', () => {
    for (const workerCell of [undefined, null, { lat: '48', lon: 2 }, { lat: 48 }, 'paris']) {
      expect(taskPlacementOf({ ...base, kind: 'task.assigned', taskId: 't', status: 'Assigned', workerCell })?.workerCell).toBeNull();
    }
    expect(taskPlacementOf({ ...base, kind: 'balance.changed', taskId: 't', status: 'Running' })).toBeNull();
    expect(taskPlacementOf({ ...base, kind: 'task.running', taskId: 't' })).toBeNull();
  });
});
