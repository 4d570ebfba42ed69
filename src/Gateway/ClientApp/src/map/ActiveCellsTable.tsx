import { useId, useMemo, useState } from 'react';
import type { TaskCluster } from './clusters';
import { cellLabel, clusterBreakdown, formatCount, plural } from './mapSummary';
import type { NetworkCells } from './networkCells';

interface CellsProps {
  clusters: readonly TaskCluster[];
  cells: NetworkCells;
}

/** The map as text: each cell with the client's tasks, shown on request so a long list does not crowd the page. */
export function ActiveCellsTable({ clusters, cells }: CellsProps) {
  const [open, setOpen] = useState(false);
  const tableId = useId();

  if (clusters.length === 0) {
    return null;
  }
  return (
    <div className="active-cells">
      <button
        type="button"
        className="link-button"
        aria-expanded={open}
        aria-controls={tableId}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? 'Hide' : 'Show'} the {plural(clusters.length, 'cell')} with tasks as a table
      </button>
      {/* Only an open table is sorted and rendered: closed, the map's updates cost it nothing. */}
      {open && (
        <div id={tableId} className="active-cells-scroll">
          <CellsTable clusters={clusters} cells={cells} />
        </div>
      )}
    </div>
  );
}

function CellsTable({ clusters, cells }: CellsProps) {
  const rows = useMemo(
    () => [...clusters].sort((a, b) => b.dots.length - a.dots.length || (a.key < b.key ? -1 : 1)),
    [clusters],
  );
  return (
    <table>
      <caption className="visually-hidden">Cells with your tasks</caption>
      <thead>
        <tr>
          <th scope="col">Cell</th>
          <th scope="col" className="number">
            Tasks
          </th>
          <th scope="col">States</th>
          <th scope="col" className="number">
            Workers online
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((cluster) => {
          // Cells with fewer workers than the gateway's minimum are not published.
          const workers = cells.get(cluster.key)?.workers;
          return (
            <tr key={cluster.key}>
              <th scope="row">{cellLabel(cluster.cell)}</th>
              <td className="number">{formatCount(cluster.dots.length)}</td>
              <td>{clusterBreakdown(cluster)}</td>
              <td className="number">{workers === undefined ? '—' : formatCount(workers)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
