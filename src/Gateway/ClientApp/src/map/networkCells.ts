/** One whole-degree cell of online workers, as `GET /api/network/map` and `network.updated` send it. */
export interface NetworkCell {
  lat: number;
  lon: number;
  workers: number;
  activeTasks: number;
}

export interface NetworkMap {
  generatedAt: string;
  cells: NetworkCell[];
}

/** Cells by their key; a cell is one place, so a changed cell replaces the one before it. */
export type NetworkCells = ReadonlyMap<string, NetworkCell>;

export function cellKey(cell: { lat: number; lon: number }): string {
  return `${cell.lat},${cell.lon}`;
}

/** The cells of a full map answer; cells without workers are not drawn. */
export function cellsFromMap(cells: readonly NetworkCell[]): NetworkCells {
  return mergeCells(new Map(), cells);
}

/**
 * The set after a `network.updated` event: each changed cell replaces the one at its place, and a cell whose
 * workers fell to 0 is gone. Returns the same map when nothing changed, so memoised layers keep their output.
 */
export function mergeCells(current: NetworkCells, changed: readonly NetworkCell[]): NetworkCells {
  let next: Map<string, NetworkCell> | null = null;
  for (const cell of changed) {
    const key = cellKey(cell);
    const before = (next ?? current).get(key);
    if (cell.workers <= 0 ? before === undefined : before !== undefined && sameCell(before, cell)) {
      continue;
    }
    next ??= new Map(current);
    if (cell.workers <= 0) {
      next.delete(key);
    } else {
      next.set(key, cell);
    }
  }
  return next ?? current;
}

/** The changed cells a `network.updated` event carries; malformed entries are skipped. */
export function changedCellsOf(payload: Record<string, unknown>): NetworkCell[] {
  const cells = payload['cells'];
  return Array.isArray(cells) ? cells.filter(isNetworkCell) : [];
}

export function totalWorkers(cells: NetworkCells): number {
  let total = 0;
  for (const cell of cells.values()) {
    total += cell.workers;
  }
  return total;
}

function sameCell(a: NetworkCell, b: NetworkCell): boolean {
  return a.workers === b.workers && a.activeTasks === b.activeTasks;
}

function isNetworkCell(value: unknown): value is NetworkCell {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const cell = value as Record<string, unknown>;
  return ['lat', 'lon', 'workers', 'activeTasks'].every((field) => isFiniteNumber(cell[field]));
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A worker cell's circle grows with the area, not the radius, so 4× the workers looks 4× as big; capped. */
export function workerCellRadius(workers: number): number {
  return Math.min(14, 1.5 + 1.5 * Math.sqrt(Math.max(0, workers)));
}
