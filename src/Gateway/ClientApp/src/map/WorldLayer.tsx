import { memo, useEffect, useState } from 'react';
import { builtWorldShapes, worldShapes } from './worldShapes';

/**
 * The globe, land and borders: drawn from the same path strings every time and never re-rendered by events. The
 * paths are built once, just after the map first mounts rather than during its render: building them takes a
 * noticeable while on a slow machine, and by then the map's reads have gone out, so it overlaps their wait.
 */
export const WorldLayer = memo(function WorldLayer() {
  const [shapes, setShapes] = useState(builtWorldShapes);
  useEffect(() => {
    if (shapes !== null) {
      return;
    }
    const timer = window.setTimeout(() => setShapes(worldShapes()), 0);
    return () => window.clearTimeout(timer);
  }, [shapes]);

  return (
    <g className="world" aria-hidden="true">
      {shapes !== null && (
        <>
          <path className="world-sphere" d={shapes.sphere} />
          <path className="world-graticule" d={shapes.graticule} />
          <path className="world-land" d={shapes.land} />
          <path className="world-borders" d={shapes.borders} />
        </>
      )}
    </g>
  );
});
