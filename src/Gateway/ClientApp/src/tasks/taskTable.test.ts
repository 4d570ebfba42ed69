import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Page } from '../api/types';
import { newTaskTable, reduceTaskTable, type TaskTable } from './taskTable';
import { TASK_STATUSES, type TaskSummary } from './taskTypes';

const BASE = Date.parse('2026-03-01T00:00:00Z');
const iso = (ms: number) => new Date(BASE + ms).toISOString();

function summary(id: string, status: string, createdMs: number, updatedMs = createdMs): TaskSummary {
  return { id, status, reason: null, moduleId: 'sha256:m', price: '1', fee: '0.05', escrowState: 'Held', createdAt: iso(createdMs), updatedAt: iso(updatedMs) };
}

const page = (items: TaskSummary[], nextCursor: string | null = null): Page<TaskSummary> => ({ items, nextCursor });

describe('reduceTaskTable', () => {
  it('updates a row’s status in place when its task changes', () => {
    let table = reduceTaskTable(newTaskTable([]), { type: 'firstPage', page: page([summary('b', 'Queued', 2), summary('a', 'Queued', 1)]) });
    table = reduceTaskTable(table, { type: 'change', change: { taskId: 'a', status: 'Running', at: iso(5) } });

    expect(table.rows.map((r) => [r.id, r.status])).toEqual([['b', 'Queued'], ['a', 'Running']]);
    expect(table.rows[1]!.updatedAt).toBe(iso(5));
    expect(table.unread.size).toBe(0);
  });

  it('reads a task it hears of when the filter lets it through, and places it newest first', () => {
    let table = reduceTaskTable(newTaskTable(['Queued', 'Assigned']), { type: 'firstPage', page: page([summary('a', 'Queued', 1)]) });
    table = reduceTaskTable(table, { type: 'change', change: { taskId: 'x', status: 'Running', at: iso(9) } });
    expect(table.unread.size).toBe(0);

    table = reduceTaskTable(table, { type: 'change', change: { taskId: 'n', status: 'Queued', at: iso(10) } });
    expect([...table.unread]).toEqual([['n', 'Queued']]);

    table = reduceTaskTable(table, { type: 'change', change: { taskId: 'n', status: 'Assigned', at: iso(11) } });
    // The read answers what the task was when it was read; the later event wins.
    table = reduceTaskTable(table, { type: 'read', summary: summary('n', 'Queued', 10) });
    expect(table.rows.map((r) => [r.id, r.status])).toEqual([['n', 'Assigned'], ['a', 'Queued']]);
    expect(table.unread.size).toBe(0);
  });

  it('leaves out a task that left the filter while it was read', () => {
    let table = reduceTaskTable(newTaskTable(['Queued']), { type: 'firstPage', page: page([]) });
    table = reduceTaskTable(table, { type: 'change', change: { taskId: 'n', status: 'Queued', at: iso(1) } });
    table = reduceTaskTable(table, { type: 'change', change: { taskId: 'n', status: 'Running', at: iso(2) } });
    table = reduceTaskTable(table, { type: 'read', summary: summary('n', 'Running', 1, 2) });

    expect(table.rows).toEqual([]);
    expect(table.unread.size).toBe(0);
  });

  it('leaves out a task read to belong to a page not loaded yet', () => {
    let table = reduceTaskTable(newTaskTable([]), { type: 'firstPage', page: page([summary('b', 'Queued', 5)], 'next') });
    table = reduceTaskTable(table, { type: 'change', change: { taskId: 'old', status: 'Queued', at: iso(9) } });
    table = reduceTaskTable(table, { type: 'read', summary: summary('old', 'Queued', 1, 9) });

    expect(table.rows.map((r) => r.id)).toEqual(['b']);
    expect(table.unread.size).toBe(0);
  });

  it('appends the next page without repeats and drops a page asked for before a reload', () => {
    let table = reduceTaskTable(newTaskTable([]), { type: 'firstPage', page: page([summary('c', 'Queued', 3)], 'p2') });
    table = reduceTaskTable(table, { type: 'nextPage', cursor: 'p2', page: page([summary('c', 'Running', 3), summary('b', 'Queued', 2)], 'p3') });
    expect(table.rows.map((r) => [r.id, r.status])).toEqual([['c', 'Queued'], ['b', 'Queued']]);
    expect(table.nextCursor).toBe('p3');

    const stale = reduceTaskTable(table, { type: 'nextPage', cursor: 'p2', page: page([summary('z', 'Queued', 0)]) });
    expect(stale).toBe(table);
  });

  it('applies the events heard while the first page was read on top of it', () => {
    let table = reduceTaskTable(newTaskTable([]), { type: 'change', change: { taskId: 'a', status: 'Running', at: iso(4) } });
    table = reduceTaskTable(table, { type: 'firstPage', page: page([summary('a', 'Queued', 1)]) });

    expect(table.rows[0]!.status).toBe('Running');
    expect(table.loading).toBe(false);
  });

  it('keeps the rows through a reload with the same filter, and starts afresh for another', () => {
    const table = reduceTaskTable(newTaskTable(['Queued']), { type: 'firstPage', page: page([summary('a', 'Queued', 1)]) });

    const resync = reduceTaskTable(table, { type: 'load', statuses: ['Queued'] });
    expect(resync.rows).toEqual(table.rows);
    expect(resync.loading).toBe(true);
    expect(reduceTaskTable(resync, { type: 'loadFailed' })).toMatchObject({ rows: table.rows, loading: false });

    expect(reduceTaskTable(table, { type: 'load', statuses: ['Running'] })).toEqual(newTaskTable(['Running']));
  });

  it('forgets a task whose read failed', () => {
    let table = reduceTaskTable(newTaskTable([]), { type: 'firstPage', page: page([]) });
    table = reduceTaskTable(table, { type: 'change', change: { taskId: 'n', status: 'Queued', at: iso(1) } });
    table = reduceTaskTable(table, { type: 'readFailed', taskId: 'n' });

    expect(table.unread.size).toBe(0);
    expect(table.rows).toEqual([]);
  });
});

// A model of the gateway and the page: tasks change on the server, each change arrives as an event in order,
// first pages and reads answer the server's state at some moment between their request and their answer.
interface ServerTask {
  id: string;
  createdMs: number;
  changes: { step: number; status: string }[];
}

type Op =
  | { kind: 'submit' }
  | { kind: 'change'; task: number; status: string }
  | { kind: 'answerRead'; pick: number; lag: number }
  | { kind: 'resync' }
  | { kind: 'answerLoad'; lag: number };

const statusArb = fc.constantFrom(...TASK_STATUSES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ kind: 'submit' }),
  fc.record({ kind: fc.constant('change' as const), task: fc.nat(), status: statusArb }),
  fc.record({ kind: fc.constant('answerRead' as const), pick: fc.nat(), lag: fc.nat() }),
  fc.constant<Op>({ kind: 'resync' }),
  fc.record({ kind: fc.constant('answerLoad' as const), lag: fc.nat() }),
);

const PAGE_SIZE = 3;
const STEP_MS = 1000;

function simulate(initialStatuses: string[], filter: string[], ops: Op[]) {
  const tasks: ServerTask[] = initialStatuses.map((status, i) => ({ id: `old${i}`, createdMs: -1_000_000 + i, changes: [{ step: 0, status }] }));
  let step = 0;
  const statusAt = (task: ServerTask, at: number) => task.changes.filter((c) => c.step <= at).at(-1)!;
  const snapshot = (task: ServerTask, at: number) => {
    const last = statusAt(task, at);
    return summary(task.id, last.status, task.createdMs, last.step * STEP_MS);
  };
  const firstPage = (at: number): Page<TaskSummary> => {
    const existing = tasks
      .filter((t) => t.createdMs <= at * STEP_MS)
      .map((t) => snapshot(t, at))
      .filter((s) => filter.length === 0 || filter.includes(s.status))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    return page(existing.slice(0, PAGE_SIZE), existing.length > PAGE_SIZE ? 'more' : null);
  };

  let table: TaskTable = newTaskTable(filter);
  let loadAskedAt: number | null = 0;
  const reads = new Map<string, number>();
  const askReads = () => {
    for (const id of table.unread.keys()) {
      if (!reads.has(id)) {
        reads.set(id, step);
      }
    }
  };
  const answerRead = (id: string, at: number) => {
    reads.delete(id);
    table = reduceTaskTable(table, { type: 'read', summary: snapshot(tasks.find((t) => t.id === id)!, at) });
  };
  const change = (task: ServerTask, status: string) => {
    task.changes.push({ step, status });
    table = reduceTaskTable(table, { type: 'change', change: { taskId: task.id, status, at: iso(step * STEP_MS) } });
  };

  for (const op of ops) {
    step += 1;
    switch (op.kind) {
      case 'submit': {
        const task: ServerTask = { id: `new${step}`, createdMs: step * STEP_MS, changes: [] };
        tasks.push(task);
        change(task, 'Queued');
        break;
      }
      case 'change':
        if (tasks.length > 0) {
          // Counted from the newest: small numbers, which fast-check favours, hit tasks that are still being read.
          change(tasks[tasks.length - 1 - (op.task % tasks.length)]!, op.status);
        }
        break;
      case 'answerRead': {
        const pending = [...reads];
        if (pending.length > 0) {
          const [id, askedAt] = pending[op.pick % pending.length]!;
          answerRead(id, askedAt + (op.lag % (step - askedAt + 1)));
        }
        break;
      }
      case 'resync':
        table = reduceTaskTable(table, { type: 'load', statuses: filter });
        loadAskedAt = step;
        break;
      case 'answerLoad':
        if (loadAskedAt !== null) {
          table = reduceTaskTable(table, { type: 'firstPage', page: firstPage(loadAskedAt + (op.lag % (step - loadAskedAt + 1))) });
          loadAskedAt = null;
        }
        break;
    }
    askReads();
  }
  if (loadAskedAt !== null) {
    table = reduceTaskTable(table, { type: 'firstPage', page: firstPage(step) });
    askReads();
  }
  for (const id of [...reads.keys()]) {
    answerRead(id, step);
  }
  return { table, tasks, finalStatus: (id: string) => tasks.find((t) => t.id === id)!.changes.at(-1)!.status };
}

describe('reduceTaskTable, live', () => {
  const run = fc.tuple(fc.array(statusArb, { maxLength: 6 }), fc.subarray([...TASK_STATUSES], { maxLength: 3 }), fc.array(opArb, { maxLength: 60, size: 'max' }));

  it('ends with every row at its task’s last status, rows unique and newest first', () => {
    fc.assert(
      fc.property(run, ([initial, filter, ops]) => {
        const { table, finalStatus } = simulate(initial, filter, ops);

        expect(table.unread.size).toBe(0);
        const ids = table.rows.map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
        const created = table.rows.map((r) => Date.parse(r.createdAt));
        expect(created).toEqual([...created].sort((a, b) => b - a));
        for (const row of table.rows) {
          expect(row.status).toBe(finalStatus(row.id));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('without a filter, holds every task from the newest down to its oldest row', () => {
    fc.assert(
      fc.property(run, ([initial, , ops]) => {
        const { table, tasks } = simulate(initial, [], ops);

        const oldest = Math.min(...table.rows.map((r) => Date.parse(r.createdAt)));
        const expected = tasks.filter((t) => table.nextCursor === null || BASE + t.createdMs >= oldest).map((t) => t.id);
        expect(new Set(table.rows.map((r) => r.id))).toEqual(new Set(expected));
      }),
      { numRuns: 500 },
    );
  });
});
