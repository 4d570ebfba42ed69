import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TrackedTask } from './activeTasks';
import { clusterRadius, createClusterLayout, jitterOffset, layoutClusters, MAX_CLUSTER_RADIUS } from './clusters';
import { projectCell } from './projection';

function task(id: string, cell: { lat: number; lon: number } | null, state: TrackedTask['state'] = 'running'): TrackedTask {
  return { id, state, cell, completedAt: null, placedLive: true };
}

const taskArbitrary = fc.record({
  id: fc.string({ minLength: 1, maxLength: 12 }),
  cell: fc.option(fc.record({ lat: fc.integer({ min: -90, max: 90 }), lon: fc.integer({ min: -180, max: 180 }) })),
});

describe('jitterOffset', () => {
  it('is the same for the same id and stays within the radius', () => {
    fc.assert(
      fc.property(fc.string(), fc.double({ min: 0, max: 50, noNaN: true }), (id, radius) => {
        const offset = jitterOffset(id, radius);
        expect(jitterOffset(id, radius)).toEqual(offset);
        return Math.hypot(offset.x, offset.y) <= radius + 1e-9;
      }),
    );
  });

  it('gives different ids different spots', () => {
    const spots = new Set(Array.from({ length: 1000 }, (_, i) => JSON.stringify(jitterOffset(`tsk_${i}`, 10))));
    expect(spots.size).toBe(1000);
  });
});

describe('layoutClusters', () => {
  it('groups tasks by cell, skips those without one and counts each cell', () => {
    const tasks = [
      task('a', { lat: 48, lon: 2 }),
      task('b', null, 'queued'),
      task('c', { lat: 48, lon: 2 }, 'verifying'),
      task('d', { lat: -12, lon: -77 }),
    ];
    const clusters = layoutClusters(new Map(tasks.map((t) => [t.id, t] as const)));

    expect(clusters.map((c) => [c.key, c.dots.map((d) => `${d.id}:${d.state}`)])).toEqual([
      ['-12,-77', ['d:running']],
      ['48,2', ['a:running', 'c:verifying']],
    ]);
    expect(clusters[1]).toMatchObject(projectCell({ lat: 48, lon: 2 }));
  });

  it('lays the same tasks out the same way whatever their order, every dot within its cluster', () => {
    fc.assert(
      fc.property(fc.uniqueArray(taskArbitrary, { selector: (t) => t.id, maxLength: 60 }), (specs) => {
        const tasks = specs.map((s) => task(s.id, s.cell));
        const forward = layoutClusters(new Map(tasks.map((t) => [t.id, t] as const)));
        const backward = layoutClusters(new Map([...tasks].reverse().map((t) => [t.id, t] as const)));
        expect(backward).toEqual(forward);

        expect(forward.reduce((n, c) => n + c.dots.length, 0)).toBe(tasks.filter((t) => t.cell !== null).length);
        for (const cluster of forward) {
          expect(cluster.radius).toBe(clusterRadius(cluster.dots.length));
          for (const dot of cluster.dots) {
            expect(Math.hypot(dot.x - cluster.x, dot.y - cluster.y)).toBeLessThanOrEqual(cluster.radius + 1e-9);
          }
        }
      }),
    );
  });

  it('caps how far a crowded cell spreads', () => {
    expect(clusterRadius(1)).toBeLessThan(clusterRadius(10));
    expect(clusterRadius(100_000)).toBe(MAX_CLUSTER_RADIUS);
  });
});

describe('createClusterLayout', () => {
  const paris = { lat: 48, lon: 2 };
  const lima = { lat: -12, lon: -77 };
  const tokyo = { lat: 35, lon: 139 };
  const byId = (tasks: readonly TrackedTask[]) => new Map(tasks.map((t) => [t.id, t] as const));

  it('answers what a fresh layout answers, whatever states follow each other', () => {
    const spec = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
      cell: fc.option(fc.constantFrom(paris, lima, tokyo, { lat: 0, lon: 0 })),
      state: fc.constantFrom<TrackedTask['state']>('queued', 'assigned', 'running', 'verifying', 'completed'),
      placedLive: fc.boolean(),
    });
    // Each state keeps a random part of the tasks of the one before (the same objects) and changes the rest.
    const step = fc.record({ keep: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), changes: fc.array(spec, { maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        const layout = createClusterLayout();
        let tasks: ReadonlyMap<string, TrackedTask> = new Map();
        for (const { keep, changes } of steps) {
          const next = new Map([...tasks].filter((_, i) => keep[i % keep.length]));
          for (const change of changes) {
            next.set(change.id, { ...task(change.id, change.cell, change.state), placedLive: change.placedLive });
          }
          tasks = next;
          expect(layout(tasks)).toEqual(layoutClusters(tasks));
        }
      }),
    );
  });

  it('keeps the objects of cells and tasks that did not change', () => {
    const layout = createClusterLayout();
    const first = layout(byId([task('a', paris), task('b', paris), task('c', lima), task('q', null, 'queued')]));
    const [limaBefore, parisBefore] = first;

    // A task in Lima changes state; Paris is untouched, and its dots too.
    const second = layout(byId([task('a', paris), task('b', paris), task('c', lima, 'verifying'), task('q', null, 'queued')]));
    expect(second[1]).toBe(parisBefore);
    expect(second[0]).not.toBe(limaBefore);
    expect(second[0]!.dots[0]!.state).toBe('verifying');
  });

  it('keeps the dots of a changed cell whose spread stays the same', () => {
    const layout = createClusterLayout();
    const [before] = layout(byId([task('a', paris), task('b', paris)]));
    // Three tasks spread as far as two: a and b stay where they were.
    const [after] = layout(byId([task('a', paris), task('b', paris), task('c', paris)]));

    expect(after!.radius).toBe(before!.radius);
    expect(after!.dots.slice(0, 2)).toEqual(before!.dots);
    expect(after!.dots[0]).toBe(before!.dots[0]);
    expect(after!.dots[1]).toBe(before!.dots[1]);
  });

  it('gives back the same array when only tasks without a cell changed, and drops emptied cells', () => {
    const layout = createClusterLayout();
    const placed = task('a', paris);
    const first = layout(byId([placed, task('q', null, 'queued')]));
    expect(layout(byId([placed, task('q', null, 'retrying'), task('r', null, 'queued')]))).toBe(first);

    expect(layout(byId([task('q', null, 'queued')]))).toEqual([]);
    expect(layout(byId([task('b', tokyo), task('a', paris)])).map((c) => c.key)).toEqual(['35,139', '48,2']);
  });
});
