import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatStatusFilter, parseStatusFilter, statusPasses, toggleStatus } from './statusFilter';
import { TASK_STATUSES } from './taskTypes';

describe('status filter', () => {
  it('reads the known statuses of the URL, once each, and drops the rest', () => {
    expect(parseStatusFilter('Running,Queued,bogus,Queued, Completed')).toEqual(['Queued', 'Running', 'Completed']);
    expect(parseStatusFilter(null)).toEqual([]);
    expect(parseStatusFilter('')).toEqual([]);
  });

  it('writes no filter for all statuses and reads back what it wrote', () => {
    expect(formatStatusFilter([])).toBeNull();
    fc.assert(
      fc.property(fc.subarray([...TASK_STATUSES]), (statuses) => {
        const text = formatStatusFilter(statuses);
        expect(parseStatusFilter(text)).toEqual(statuses);
      }),
    );
  });

  it('lets every status through an empty filter, and only the chosen ones otherwise', () => {
    expect(statusPasses([], 'Anything')).toBe(true);
    expect(statusPasses(['Queued'], 'Queued')).toBe(true);
    expect(statusPasses(['Queued'], 'Running')).toBe(false);
  });

  it('toggles a status on and off', () => {
    expect(toggleStatus(['Running'], 'Queued')).toEqual(['Queued', 'Running']);
    expect(toggleStatus(['Queued', 'Running'], 'Queued')).toEqual(['Running']);
  });
});
