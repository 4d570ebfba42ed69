import { geoGraticule10, geoPath } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import countries from 'world-atlas/countries-110m.json';
import { mapProjection } from './projection';

export interface WorldShapes {
  sphere: string;
  graticule: string;
  land: string;
  borders: string;
}

let shapes: WorldShapes | null = null;

/**
 * The SVG path strings of the globe's outline, land and borders. They never change, so they are built once (on
 * first use, not at import) and every render reuses the same strings.
 */
export function worldShapes(): WorldShapes {
  if (shapes === null) {
    const path = geoPath(mapProjection);
    shapes = {
      sphere: path({ type: 'Sphere' }) ?? '',
      graticule: path(geoGraticule10()) ?? '',
      land: path(feature(countries, countries.objects.land)) ?? '',
      // Only borders between two countries: coastlines are already the land's outline.
      borders: path(mesh(countries, countries.objects.countries, (a, b) => a !== b)) ?? '',
    };
  }
  return shapes;
}

/** The shapes if they were already built, without building them. */
export function builtWorldShapes(): WorldShapes | null {
  return shapes;
}
