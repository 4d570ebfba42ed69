import { useMemo, useState } from 'react';
import type { GstdApi } from '../api/gstdApi';
import { errorMessage } from '../app/errorMessage';
import { ActiveCellsTable } from './ActiveCellsTable';
import { createClusterLayout } from './clusters';
import { MapLegend } from './MapLegend';
import { formatCount, plural, summariseTasks, taskPlacementLabel } from './mapSummary';
import { MAX_LISTED_TASKS } from './mapApi';
import { totalWorkers } from './networkCells';
import { MAP_HEIGHT, MAP_WIDTH } from './projection';
import { TaskDotsLayer } from './TaskDotsLayer';
import { useActiveTasks } from './useActiveTasks';
import { useNetworkCells } from './useNetworkCells';
import type { LivePhase } from './useLiveState';
import { WorkerCellsLayer } from './WorkerCellsLayer';
import { WorldLayer } from './WorldLayer';
import './activeTaskMap.css';

const viewBox = `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`;

/**
 * The client's active tasks on a world map, at the cells of the workers running them, over the cells of every
 * online worker. Read once over HTTP, then kept live from the 'account' and 'network' topics.
 */
export function ActiveTaskMap({ api }: { api: GstdApi }) {
  const network = useNetworkCells(api);
  const active = useActiveTasks(api);
  const { tasks, truncated } = active.state;

  // Kept for the map's life: each batch of events lays out only the cells it changed.
  const [layout] = useState(createClusterLayout);
  const clusters = useMemo(() => layout(tasks), [layout, tasks]);
  const summary = useMemo(() => summariseTasks(tasks), [tasks]);
  const workers = useMemo(() => totalWorkers(network.state), [network.state]);
  const loading = network.phase === 'loading' || active.phase === 'loading';
  const tasksFailed = active.phase === 'failed';
  const label = loading
    ? 'World map of active tasks, loading'
    : [
        tasksFailed ? 'Your tasks could not be loaded' : taskPlacementLabel(summary, clusters),
        network.phase === 'failed' ? 'online workers could not be loaded' : `${plural(workers, 'worker')} online`,
      ].join('; ');

  return (
    <section className="active-task-map" aria-labelledby="active-task-map-heading">
      <h2 id="active-task-map-heading">Active tasks on the network</h2>
      <LoadProblem what="your tasks" phase={active.phase} error={active.error} retry={active.reload} />
      <LoadProblem what="the network map" phase={network.phase} error={network.error} retry={network.reload} />
      {/*
        Two stacked SVGs: the world and worker cells change at most once a second, while the task layer animates
        on its own compositing layer, so moving dots never repaint the land.
      */}
      <div className="map-stack" role="img" aria-label={label} aria-busy={loading}>
        <svg className="map-base" viewBox={viewBox}>
          <WorldLayer />
          <WorkerCellsLayer cells={network.state} />
        </svg>
        <svg className="map-tasks" viewBox={viewBox}>
          <TaskDotsLayer clusters={clusters} />
        </svg>
      </div>
      <p className="map-status" role="status">
        {loading ? 'Loading the map…' : !tasksFailed && tasks.size === 0 ? 'You have no active tasks right now.' : ''}
      </p>
      {!loading && !tasksFailed && (
        <>
          <MapLegend summary={summary} />
          {truncated && <p className="hint">Showing your newest {formatCount(MAX_LISTED_TASKS)} active tasks.</p>}
          <ActiveCellsTable clusters={clusters} cells={network.state} />
        </>
      )}
    </section>
  );
}

function LoadProblem({ what, phase, error, retry }: { what: string; phase: LivePhase; error: unknown; retry: () => void }) {
  if (phase !== 'failed') {
    return null;
  }
  return (
    <div className="map-problem" role="alert">
      <span className="error">
        Could not load {what}: {errorMessage(error)}
      </span>
      <button type="button" onClick={retry}>
        Retry
      </button>
    </div>
  );
}
