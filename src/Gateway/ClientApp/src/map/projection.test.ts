import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAP_HEIGHT, MAP_WIDTH, projectLatLon } from './projection';

const latitude = fc.double({ min: -90, max: 90, noNaN: true });
const longitude = fc.double({ min: -180, max: 180, noNaN: true });

describe('projectLatLon', () => {
  it('puts (0, 0) near the centre of the viewBox', () => {
    const { x, y } = projectLatLon(0, 0);
    expect(Math.abs(x - MAP_WIDTH / 2)).toBeLessThan(1);
    expect(Math.abs(y - MAP_HEIGHT / 2)).toBeLessThan(1);
  });

  it('keeps every point of the globe inside the viewBox', () => {
    fc.assert(
      fc.property(latitude, longitude, (lat, lon) => {
        const { x, y } = projectLatLon(lat, lon);
        return x >= 0 && x <= MAP_WIDTH && y >= 0 && y <= MAP_HEIGHT;
      }),
    );
  });

  it('moves right as the longitude grows', () => {
    fc.assert(
      fc.property(latitude.filter((lat) => Math.abs(lat) < 89), longitude, longitude, (lat, a, b) => {
        fc.pre(Math.abs(a - b) > 1e-6);
        const [west, east] = a < b ? [a, b] : [b, a];
        return projectLatLon(lat, west).x < projectLatLon(lat, east).x;
      }),
    );
  });

  it('moves down as the latitude falls', () => {
    fc.assert(
      fc.property(longitude, latitude, latitude, (lon, a, b) => {
        fc.pre(Math.abs(a - b) > 1e-6);
        const [south, north] = a < b ? [a, b] : [b, a];
        return projectLatLon(north, lon).y < projectLatLon(south, lon).y;
      }),
    );
  });

  it('maps whole-degree cells the same way every time', () => {
    expect(projectLatLon(48, 2)).toEqual(projectLatLon(48, 2));
  });
});
