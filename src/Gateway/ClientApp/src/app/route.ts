import type { DisputeStatusFilter } from '../api/gstdApi';

export type Route =
  | { page: 'home' }
  /** The client's tasks; `status` is a comma-separated filter (API.md), `taskId` opens its detail drawer. */
  | { page: 'tasks'; status: string | null; taskId: string | null }
  | { page: 'submit' }
  /** The operator's workers; `workerId` selects one. */
  | { page: 'workers'; workerId: string | null }
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
  if (segments[0] === 'tasks') {
    if (segments.length === 2 && segments[1] === 'new') {
      return { page: 'submit' };
    }
    const taskId = segments.length === 2 ? decodeSegment(segments[1]!) : null;
    if (segments.length > 2 || (segments.length === 2 && taskId === null)) {
      return { page: 'not-found' };
    }
    return { page: 'tasks', status: query.get('status'), taskId };
  }
  if (segments[0] === 'workers') {
    const workerId = segments.length === 2 ? decodeSegment(segments[1]!) : null;
    if (segments.length > 2 || (segments.length === 2 && workerId === null)) {
      return { page: 'not-found' };
    }
    return { page: 'workers', workerId };
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
    const id = decodeSegment(segments[2]!);
    return id === null ? { page: 'not-found' } : { page: 'dispute', id };
  }
  return { page: 'not-found' };
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
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
    case 'tasks': {
      const path = route.taskId === null ? '#/tasks' : `#/tasks/${encodeURIComponent(route.taskId)}`;
      return route.status === null || route.status === '' ? path : `${path}?status=${encodeURIComponent(route.status)}`;
    }
    case 'submit':
      return '#/tasks/new';
    case 'workers':
      return route.workerId === null ? '#/workers' : `#/workers/${encodeURIComponent(route.workerId)}`;
  }
}
