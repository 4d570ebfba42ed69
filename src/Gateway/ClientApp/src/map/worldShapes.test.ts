import { describe, expect, it } from 'vitest';
import { builtWorldShapes, worldShapes } from './worldShapes';

describe('worldShapes', () => {
  it('draws the land and borders from the bundled atlas once, when first asked', () => {
    expect(builtWorldShapes()).toBeNull();
    const shapes = worldShapes();

    expect(shapes.land.startsWith('M')).toBe(true);
    expect(shapes.borders.startsWith('M')).toBe(true);
    expect(shapes.sphere.length).toBeGreaterThan(0);
    expect(worldShapes()).toBe(shapes);
    expect(builtWorldShapes()).toBe(shapes);
  });
});
