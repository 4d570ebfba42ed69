import { memo } from 'react';
import { cellLabel, plural } from './mapSummary';
import { workerCellRadius, type NetworkCell, type NetworkCells } from './networkCells';
import { projectCell } from './projection';

/** One circle per cell with online workers, sized by how many. */
export const WorkerCellsLayer = memo(function WorkerCellsLayer({ cells }: { cells: NetworkCells }) {
  return (
    <g className="worker-cells">
      {[...cells].map(([key, cell]) => (
        <WorkerCellMark key={key} cell={cell} />
      ))}
    </g>
  );
});

/** Memoised per cell: a network.updated event re-renders only the cells it changed. */
const WorkerCellMark = memo(function WorkerCellMark({ cell }: { cell: NetworkCell }) {
  const { x, y } = projectCell(cell);
  const description = `${plural(cell.workers, 'worker')} online, ${plural(cell.activeTasks, 'active task')}`;
  return (
    <circle className="worker-cell" cx={x} cy={y} r={workerCellRadius(cell.workers)}>
      <title>{`${cellLabel(cell)}: ${description}`}</title>
    </circle>
  );
});
