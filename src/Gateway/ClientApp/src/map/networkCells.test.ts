import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cellKey,
  cellsFromMap,
  changedCellsOf,
  mergeCells,
  totalWorkers,
  workerCellRadius,
  type NetworkCell,
} from './networkCells';

const paris: NetworkCell = { lat: 48, lon: 2, workers: 3, activeTasks: 5 };
const tokyo: NetworkCell = { lat: 35, lon: 139, workers: 7, activeTasks: 0 };

const cellArbitrary = fc.record({
  lat: fc.integer({ min: -3, max: 3 }),
  lon: fc.integer({ min: -3, max: 3 }),
  workers: fc.integer({ min: 0, max: 5 }),
  activeTasks: fc.integer({ min: 0, max: 9 }),
});

describe('mergeCells', () => {
  it('adds new cells, replaces changed ones and drops cells with no workers', () => {
    const start = cellsFromMap([paris, tokyo]);
    const next = mergeCells(start, [
      { ...paris, workers: 4 },
      { ...tokyo, workers: 0 },
      { lat: -33, lon: 151, workers: 1, activeTasks: 1 },
    ]);

    expect([...next.values()]).toEqual([
      { ...paris, workers: 4 },
      { lat: -33, lon: 151, workers: 1, activeTasks: 1 },
    ]);
    expect(start.size).toBe(2);
  });

  it('returns the same set when nothing changed', () => {
    const start = cellsFromMap([paris]);
    expect(mergeCells(start, [{ ...paris }, { lat: 1, lon: 1, workers: 0, activeTasks: 0 }])).toBe(start);
  });

  it('ends where the last change of each cell says, with no empty cells', () => {
    fc.assert(
      fc.property(fc.array(cellArbitrary), fc.array(fc.array(cellArbitrary)), (initial, batches) => {
        let cells = cellsFromMap(initial);
        const expected = new Map<string, NetworkCell>();
        for (const cell of [...initial, ...batches.flat()]) {
          expected.set(cellKey(cell), cell);
        }
        for (const batch of batches) {
          cells = mergeCells(cells, batch);
        }
        const live = [...expected.values()].filter((c) => c.workers > 0);
        // Map equality ignores insertion order.
        expect(cells).toEqual(new Map(live.map((c) => [cellKey(c), c] as const)));
      }),
    );
  });
});

describe('changedCellsOf', () => {
  it('keeps well-formed cells and skips the rest', () => {
    expect(changedCellsOf({ cells: [paris, { lat: 'x' }, null, 3] })).toEqual([paris]);
    expect(changedCellsOf({})).toEqual([]);
  });
});

describe('totalWorkers', () => {
  it('adds the workers of every cell', () => {
    expect(totalWorkers(cellsFromMap([paris, tokyo]))).toBe(10);
  });
});

describe('workerCellRadius', () => {
  it('grows with the workers and stops at a cap', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), (a, b) => {
        const [few, many] = a < b ? [a, b] : [b, a];
        return workerCellRadius(few) <= workerCellRadius(many) && workerCellRadius(many) <= 14 && workerCellRadius(few) > 0;
      }),
    );
  });
});
