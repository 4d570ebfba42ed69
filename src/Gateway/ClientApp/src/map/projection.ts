import { geoNaturalEarth1, type GeoProjection } from 'd3-geo';
import { cellKey } from './networkCells';

/** The map's SVG viewBox: Natural Earth is about 1.93 wide for 1 high. */
export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 500;
/** Kept free at the edges so dots on the outline stay inside the viewBox. */
const MAP_MARGIN = 4;

export interface Point {
  x: number;
  y: number;
}

/** The world fitted into the viewBox, once: every layer projects with the same instance. */
export const mapProjection: GeoProjection = geoNaturalEarth1().fitExtent(
  [
    [MAP_MARGIN, MAP_MARGIN],
    [MAP_WIDTH - MAP_MARGIN, MAP_HEIGHT - MAP_MARGIN],
  ],
  { type: 'Sphere' },
);

/** Where a latitude/longitude lands in the viewBox, clamped inside it. */
export function projectLatLon(lat: number, lon: number): Point {
  const projected = mapProjection([lon, lat]);
  // Natural Earth projects every point of the sphere; the fallback only guards against NaN input.
  const [x, y] = projected ?? [MAP_WIDTH / 2, MAP_HEIGHT / 2];
  return { x: clamp(x, 0, MAP_WIDTH), y: clamp(y, 0, MAP_HEIGHT) };
}

const projectedCells = new Map<string, Point>();

/** A whole-degree cell's point, computed once: cells repeat on every event, so the projection runs once each. */
export function projectCell(cell: { lat: number; lon: number }): Point {
  const key = cellKey(cell);
  let point = projectedCells.get(key);
  if (point === undefined) {
    point = projectLatLon(cell.lat, cell.lon);
    projectedCells.set(key, point);
  }
  return point;
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : (min + max) / 2;
}
