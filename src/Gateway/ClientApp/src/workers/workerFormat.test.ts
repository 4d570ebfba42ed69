import { describe, expect, it } from 'vitest';
import { connectionLabel, formatEarned, formatTrust } from './workerFormat';

describe('worker formatting', () => {
  it('shows trust to 4 decimals and a dash for anything else', () => {
    expect(formatTrust(0.5)).toBe('0.5000');
    expect(formatTrust(0.12345)).toBe('0.1235');
    expect(formatTrust(Number.NaN)).toBe('—');
    expect(formatTrust('0.5')).toBe('—');
  });

  it('names the connection state, unknown when not given', () => {
    expect(connectionLabel(true)).toBe('Online');
    expect(connectionLabel(false)).toBe('Offline');
    expect(connectionLabel(null)).toBe('Unknown');
    expect(connectionLabel(undefined)).toBe('Unknown');
  });

  it('shows earnings exactly, and unreadable amounts as they came', () => {
    expect(formatEarned('1234.000000001')).toBe('1\u202f234.000000001 GSTD');
    expect(formatEarned(null)).toBe('—');
    expect(formatEarned('lots')).toBe('lots');
  });
});
