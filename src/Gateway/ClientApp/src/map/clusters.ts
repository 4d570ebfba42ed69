import type { Cell } from '../api/types';
import type { ActiveTasks, MapTaskState } from './activeTasks';
import { cellKey } from './networkCells';
import { projectCell, type Point } from './projection';

export interface TaskDot extends Point {
  id: string;
  state: MapTaskState;
}

/** The tasks of one cell: the cell's point, the dots spread around it and how many there are. */
export interface TaskCluster extends Point {
  key: string;
  cell: Cell;
  radius: number;
  dots: TaskDot[];
}

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
export function layoutClusters(tasks: ActiveTasks): TaskCluster[] {
  const byCell = new Map<string, { cell: Cell; tasks: { id: string; state: MapTaskState }[] }>();
  for (const task of tasks.values()) {
    if (task.cell === null) {
      continue;
    }
    const key = cellKey(task.cell);
    let group = byCell.get(key);
    if (group === undefined) {
      group = { cell: task.cell, tasks: [] };
      byCell.set(key, group);
    }
    group.tasks.push({ id: task.id, state: task.state });
  }

  return [...byCell.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([key, group]) => {
      const centre = projectCell(group.cell);
      const radius = clusterRadius(group.tasks.length);
      const dots = group.tasks
        .sort((a, b) => compare(a.id, b.id))
        .map((task) => {
          const offset = jitterOffset(task.id, radius);
          return { ...task, x: centre.x + offset.x, y: centre.y + offset.y };
        });
      return { key, cell: group.cell, x: centre.x, y: centre.y, radius, dots };
    });
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
