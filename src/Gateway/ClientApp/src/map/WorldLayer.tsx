import { memo } from 'react';
import { worldShapes } from './worldShapes';

/** The globe, land and borders: drawn from the same path strings every time and never re-rendered by events. */
export const WorldLayer = memo(function WorldLayer() {
  const shapes = worldShapes();
  return (
    <g className="world" aria-hidden="true">
      <path className="world-sphere" d={shapes.sphere} />
      <path className="world-graticule" d={shapes.graticule} />
      <path className="world-land" d={shapes.land} />
      <path className="world-borders" d={shapes.borders} />
    </g>
  );
});
