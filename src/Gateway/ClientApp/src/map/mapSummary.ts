import type { Cell } from '../api/types';
import { hasWorker, type ActiveTasks, type MapTaskState } from './activeTasks';
import type { TaskCluster } from './clusters';

export type StateCounts = Record<MapTaskState, number>;

export interface MapSummary {
  counts: StateCounts;
  /** Tasks still to finish: everything but the completed ones fading out. */
  active: number;
  /** Tasks held by a worker that has no location. */
  unlocated: number;
}

export function emptyCounts(): StateCounts {
  return { queued: 0, retrying: 0, assigned: 0, running: 0, verifying: 0, completed: 0 };
}

export function summariseTasks(tasks: ActiveTasks): MapSummary {
  const counts = emptyCounts();
  let unlocated = 0;
  for (const task of tasks.values()) {
    counts[task.state]++;
    if (hasWorker(task.state) && task.cell === null) {
      unlocated++;
    }
  }
  return { counts, active: tasks.size - counts.completed, unlocated };
}

/**
 * Where the client's tasks are, for the map's text alternative: "7 active tasks on 3 cells", or "12 active tasks,
 * 7 of them on 3 cells" when some are queued or on a worker with no location.
 */
export function taskPlacementLabel(summary: MapSummary, clusters: readonly TaskCluster[]): string {
  if (summary.active === 0) {
    return 'No active tasks';
  }
  let placed = 0;
  let cellsWithActive = 0;
  for (const cluster of clusters) {
    const active = cluster.dots.filter((d) => d.state !== 'completed').length;
    placed += active;
    cellsWithActive += active > 0 ? 1 : 0;
  }
  const where = placed === summary.active ? '' : `, ${formatCount(placed)} of them`;
  return `${plural(summary.active, 'active task')}${where} on ${plural(cellsWithActive, 'cell')}`;
}

/** Counts of a cluster's tasks by state, in the order the legend lists them, e.g. "2 running, 1 verifying". */
export function clusterBreakdown(cluster: TaskCluster): string {
  const counts = emptyCounts();
  cluster.dots.forEach((dot) => counts[dot.state]++);
  return LEGEND_ORDER.filter((state) => counts[state] > 0)
    .map((state) => `${counts[state]} ${STATE_NAMES[state]}`)
    .join(', ');
}

/** The states drawn on the map, in legend order. */
export const LEGEND_ORDER: readonly MapTaskState[] = ['assigned', 'running', 'verifying', 'completed'];

export const STATE_NAMES: Readonly<Record<MapTaskState, string>> = {
  queued: 'queued',
  retrying: 'waiting to retry',
  assigned: 'assigned',
  running: 'running',
  verifying: 'verifying',
  completed: 'completed just now',
};

/** A whole-degree cell as "48° N, 2° E". */
export function cellLabel(cell: Cell): string {
  const lat = cell.lat === 0 ? '0°' : `${Math.abs(cell.lat)}° ${cell.lat > 0 ? 'N' : 'S'}`;
  const lon = cell.lon === 0 ? '0°' : `${Math.abs(cell.lon)}° ${cell.lon > 0 ? 'E' : 'W'}`;
  return `${lat}, ${lon}`;
}

export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

// One formatter for every count: toLocaleString builds a new one on each call, and the map formats counts every frame.
const countFormat = new Intl.NumberFormat('en-US');

export function formatCount(count: number): string {
  return countFormat.format(count);
}
