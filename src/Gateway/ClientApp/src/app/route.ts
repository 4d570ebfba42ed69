import type { DisputeStatusFilter } from '../api/gstdApi';

export type Route =
  | { page: 'home' }
  | { page: 'arbitration'; status: DisputeStatusFilter }
  | { page: 'dispute'; id: string }
  | { page: 'not-found' };

export const DISPUTE_STATUS_FILTERS: readonly DisputeStatusFilter[] = [
  'AwaitingArbitration',
  'AutoReviewing',
  'Open',
  'Resolved',
  'All',
];
export const DEFAULT_STATUS_FILTER: DisputeStatusFilter = 'AwaitingArbitration';

// Hash routes (`#/arbitration`), so the gateway needs no knowledge of the app's pages.

/** The page a location hash names. */
export function parseRoute(hash: string): Route {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const queryAt = text.indexOf('?');
  const path = queryAt < 0 ? text : text.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : text.slice(queryAt + 1));
  const segments = path.split('/').filter((segment) => segment !== '');

  if (segments.length === 0) {
    return { page: 'home' };
  }
  if (segments[0] !== 'arbitration') {
    return { page: 'not-found' };
  }
  if (segments.length === 1) {
    const status = query.get('status');
    const known = DISPUTE_STATUS_FILTERS.find((filter) => filter === status);
    return { page: 'arbitration', status: known ?? DEFAULT_STATUS_FILTER };
  }
  if (segments.length === 3 && segments[1] === 'disputes') {
    try {
      return { page: 'dispute', id: decodeURIComponent(segments[2]!) };
    } catch {
      return { page: 'not-found' };
    }
  }
  return { page: 'not-found' };
}

/** The hash link to a page; the inverse of parseRoute. */
export function routeHref(route: Route): string {
  switch (route.page) {
    case 'home':
    case 'not-found':
      return '#/';
    case 'arbitration':
      return route.status === DEFAULT_STATUS_FILTER ? '#/arbitration' : `#/arbitration?status=${route.status}`;
    case 'dispute':
      return `#/arbitration/disputes/${encodeURIComponent(route.id)}`;
  }
}
