import { memo } from 'react';
import { COMPLETED_FADE_MS } from './activeTasks';
import type { TaskCluster, TaskDot as TaskDotLayout } from './clusters';
import { cellLabel, clusterBreakdown } from './mapSummary';

const DOT_RADIUS = 2.2;

/**
 * The client's tasks as dots around their worker's cell, with a count on cells holding several. Dots are keyed
 * by task and placed with a CSS transform, so a task that changes state or cell moves and recolours smoothly.
 * The layout keeps the objects of unchanged dots and cells (createClusterLayout), so a batch of events renders only
 * the dots and counts it changed.
 */
export const TaskDotsLayer = memo(function TaskDotsLayer({ clusters }: { clusters: readonly TaskCluster[] }) {
  return (
    <>
      <g className="task-dots">
        {clusters.flatMap((cluster) => cluster.dots.map((dot) => <TaskDot key={dot.id} dot={dot} />))}
      </g>
      <g className="cluster-counts">
        {clusters
          .filter((cluster) => cluster.dots.length > 1)
          .map((cluster) => (
            <ClusterCount key={cluster.key} cluster={cluster} />
          ))}
      </g>
    </>
  );
});

const TaskDot = memo(function TaskDot({ dot }: { dot: TaskDotLayout }) {
  const { x, y, state, placedLive } = dot;
  return (
    <circle
      className={`task-dot task-dot--${state}${placedLive ? ' task-dot--arriving' : ''}`}
      r={DOT_RADIUS}
      style={{
        // The scale comes from the stylesheet: dots grow on narrow screens, where the whole map is drawn small.
        transform: `translate(${x}px, ${y}px) scale(var(--dot-scale, 1))`,
        ...(state === 'completed' ? { animationDuration: `${COMPLETED_FADE_MS}ms` } : {}),
      }}
    />
  );
});

const ClusterCount = memo(function ClusterCount({ cluster }: { cluster: TaskCluster }) {
  return (
    <text className="cluster-count" x={cluster.x} y={cluster.y - cluster.radius - 2} textAnchor="middle">
      <title>{`${cellLabel(cluster.cell)}: ${clusterBreakdown(cluster)}`}</title>
      {cluster.dots.length}
    </text>
  );
});
