import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TrackedTask } from './activeTasks';
import { clusterRadius, jitterOffset, layoutClusters, MAX_CLUSTER_RADIUS } from './clusters';
import { projectCell } from './projection';

function task(id: string, cell: { lat: number; lon: number } | null, state: TrackedTask['state'] = 'running'): TrackedTask {
  return { id, state, cell, completedAt: null };
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
