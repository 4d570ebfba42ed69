import { describe, expect, it } from 'vitest';
import { worldShapes } from './worldShapes';

describe('worldShapes', () => {
  it('draws the land and borders from the bundled atlas once', () => {
    const shapes = worldShapes();

    expect(shapes.land.startsWith('M')).toBe(true);
    expect(shapes.borders.startsWith('M')).toBe(true);
    expect(shapes.sphere.length).toBeGreaterThan(0);
    expect(worldShapes()).toBe(shapes);
  });
});
