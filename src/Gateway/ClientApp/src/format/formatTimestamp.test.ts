import { describe, expect, it } from 'vitest';
import { formatTimestamp } from './formatTimestamp';

describe('formatTimestamp', () => {
  it('shows a timestamp in UTC to the minute, whatever its offset', () => {
    expect(formatTimestamp('2026-01-02T13:45:59.123Z')).toBe('2026-01-02 13:45 UTC');
    expect(formatTimestamp('2026-01-02T15:45:00+02:00')).toBe('2026-01-02 13:45 UTC');
  });

  it('shows a dash for none and the text itself when it is not a timestamp', () => {
    expect(formatTimestamp(null)).toBe('—');
    expect(formatTimestamp('later')).toBe('later');
  });
});
