import { describe, expect, it } from 'vitest';
import { newIdempotencyKey } from './newIdempotencyKey';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newIdempotencyKey', () => {
  it('answers a fresh UUID v4 each time', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(UUID_V4);
    expect(newIdempotencyKey()).not.toBe(a);
  });

  it('builds a UUID v4 from random bytes where randomUUID is missing (plain HTTP)', () => {
    const insecure = { getRandomValues: (array: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(array) };
    for (let i = 0; i < 50; i++) {
      expect(newIdempotencyKey(insecure)).toMatch(UUID_V4);
    }
  });
});
