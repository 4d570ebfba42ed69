import type { Cell } from '../api/types';
import type { ActiveTasks, MapTaskState, TrackedTask } from './activeTasks';
import { cellKey } from './networkCells';
import { projectCell, type Point } from './projection';

export interface TaskDot extends Point {
  id: string;
  state: MapTaskState;
  /** The dot fades in as it appears (see TrackedTask.placedLive). */
  placedLive: boolean;
}

/** The tasks of one cell: the cell's point, the dots spread around it and how many there are. */
export interface TaskCluster extends Point {
  key: string;
  cell: Cell;
  radius: number;
  /** By task id. */
  dots: readonly TaskDot[];
}

/** Lays out successive states of the tracker; see `createClusterLayout`. */
export type ClusterLayout = (tasks: ActiveTasks) => readonly TaskCluster[];

/** Dots of a crowded cell spread wider, up to this many viewBox units from the cell. */
export const MAX_CLUSTER_RADIUS = 16;

/**
 * How far the dots of a cell with `count` tasks spread: wider with more tasks, in a few steps rather than with every
 * task, so a cell gaining one task does not move (and animate) all of its dots.
 */
export function clusterRadius(count: number): number {
  return count <= 1 ? 3 : count <= 4 ? 5 : count <= 16 ? 8 : count <= 64 ? 12 : MAX_CLUSTER_RADIUS;
}

/**
 * A task's offset from its cell, derived from its id alone: the same task lands on the same spot on every render
 * (only the radius follows the cell's count), spread evenly over the disc, and never exactly on another task.
 */
export function jitterOffset(id: string, radius: number): Point {
  const distance = radius * Math.sqrt(unitHash(id, 0x811c9dc5));
  const angle = 2 * Math.PI * unitHash(id, 0x01000193);
  return { x: distance * Math.cos(angle), y: distance * Math.sin(angle) };
}

/** Groups the tasks that have a cell by that cell, in a stable order (by cell, then by task id). */
export function layoutClusters(tasks: ActiveTasks): readonly TaskCluster[] {
  return createClusterLayout()(tasks);
}

/**
 * A layout that follows the tracker from one state to the next, redoing only the cells whose tasks changed: a
 * batch of events touches a few cells out of hundreds. An unchanged cell keeps its cluster object, and an unchanged
 * task its dot object, so the memoised layers skip them; when no placed task changed, the same array comes back.
 * Whatever states it is given, in any order, it answers what `layoutClusters` answers for the latest.
 */
export function createClusterLayout(): ClusterLayout {
  let shown: ActiveTasks = new Map();
  /** The placed tasks of each cell, by id. */
  const members = new Map<string, Map<string, TrackedTask>>();
  const clusters = new Map<string, TaskCluster>();
  /** The keys of `clusters`, in order. */
  const keys: string[] = [];
  let result: readonly TaskCluster[] = [];

  return (tasks) => {
    if (tasks === shown) {
      return result;
    }
    const changedCells = new Set<string>();
    for (const [id, before] of shown) {
      if (before.cell !== null && tasks.get(id) !== before) {
        const key = cellKey(before.cell);
        members.get(key)?.delete(id);
        changedCells.add(key);
      }
    }
    for (const [id, after] of tasks) {
      if (after.cell !== null && shown.get(id) !== after) {
        const key = cellKey(after.cell);
        let cellTasks = members.get(key);
        if (cellTasks === undefined) {
          cellTasks = new Map();
          members.set(key, cellTasks);
        }
        cellTasks.set(id, after);
        changedCells.add(key);
      }
    }
    shown = tasks;
    if (changedCells.size === 0) {
      return result;
    }

    for (const key of changedCells) {
      const cellTasks = members.get(key);
      const before = clusters.get(key);
      if (cellTasks === undefined || cellTasks.size === 0) {
        members.delete(key);
        if (before !== undefined) {
          clusters.delete(key);
          keys.splice(sortedIndex(keys, key), 1);
        }
      } else {
        clusters.set(key, layoutCell(key, [...cellTasks.values()], before));
        if (before === undefined) {
          keys.splice(sortedIndex(keys, key), 0, key);
        }
      }
    }
    result = keys.map((key) => clusters.get(key)!);
    return result;
  };
}

/** One cell's cluster, reusing the dots of `before` that did not move or change (and `before` itself if none did). */
function layoutCell(key: string, tasks: TrackedTask[], before: TaskCluster | undefined): TaskCluster {
  const cell = tasks[0]!.cell!;
  const centre = projectCell(cell);
  const radius = clusterRadius(tasks.length);
  const previous = before !== undefined && before.radius === radius ? new Map(before.dots.map((dot) => [dot.id, dot])) : null;
  const dots = tasks
    .sort((a, b) => compare(a.id, b.id))
    .map((task): TaskDot => {
      const kept = previous?.get(task.id);
      if (kept !== undefined && kept.state === task.state && kept.placedLive === task.placedLive) {
        return kept;
      }
      const offset = jitterOffset(task.id, radius);
      return { id: task.id, state: task.state, placedLive: task.placedLive, x: centre.x + offset.x, y: centre.y + offset.y };
    });
  const unchanged = before !== undefined && before.dots.length === dots.length && dots.every((dot, i) => dot === before.dots[i]);
  return unchanged ? before : { key, cell, x: centre.x, y: centre.y, radius, dots };
}

/** Where `key` is or would go in the ascending `keys`. */
function sortedIndex(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(keys[middle]!, key) < 0) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** FNV-1a of the id's UTF-16 units from `seed`, as a number in [0, 1). */
function unitHash(text: string, seed: number): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // A final avalanche so ids that differ only in their last character still spread over the whole range.
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  hash ^= hash >>> 12;
  return (hash >>> 0) / 0x1_0000_0000;
}
