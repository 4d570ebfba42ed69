import { describe, expect, it } from 'vitest';
import { relativeDeadline } from './relativeDeadline';

const now = Date.parse('2026-03-01T12:00:00Z');
const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('relativeDeadline', () => {
  it('says how long is left, rounded down', () => {
    expect(relativeDeadline(at(30_000), now)).toBe('in <1 min');
    expect(relativeDeadline(at(12 * MIN + 59_000), now)).toBe('in 12 min');
    expect(relativeDeadline(at(3 * HOUR + 59 * MIN), now)).toBe('in 3 h');
    expect(relativeDeadline(at(47 * HOUR), now)).toBe('in 47 h');
    expect(relativeDeadline(at(50 * HOUR), now)).toBe('in 2 d');
  });

  it('says a passed deadline is overdue, and by how much', () => {
    expect(relativeDeadline(at(0), now)).toBe('overdue by <1 min');
    expect(relativeDeadline(at(-2 * HOUR), now)).toBe('overdue by 2 h');
  });

  it('answers nothing without a deadline or with one it cannot read', () => {
    expect(relativeDeadline(null, now)).toBe('');
    expect(relativeDeadline('soon', now)).toBe('');
  });
});
