import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TrackedTask } from './activeTasks';
import { ActiveCellsTable } from './ActiveCellsTable';
import { layoutClusters } from './clusters';
import { MapLegend } from './MapLegend';
import { summariseTasks } from './mapSummary';
import { cellsFromMap } from './networkCells';
import { TaskDotsLayer } from './TaskDotsLayer';

function task(id: string, state: TrackedTask['state'], cell: { lat: number; lon: number } | null): TrackedTask {
  return { id, state, cell, completedAt: state === 'completed' ? 0 : null, placedLive: true };
}

const tasks = new Map(
  [
    task('a', 'running', { lat: 48, lon: 2 }),
    task('b', 'verifying', { lat: 48, lon: 2 }),
    task('c', 'assigned', { lat: -12, lon: -77 }),
    ...Array.from({ length: 12 }, (_, i) => task(`q${i}`, 'queued', null)),
  ].map((t) => [t.id, t] as const),
);

describe('MapLegend', () => {
  it('counts each drawn state and shows queued tasks as a number', () => {
    const html = renderToStaticMarkup(<MapLegend summary={summariseTasks(tasks)} />);

    expect(html).toContain('1 running');
    expect(html).toContain('1 verifying');
    expect(html).toContain('12 queued');
    expect(html).not.toContain('waiting to retry');
  });
});

describe('TaskDotsLayer', () => {
  it('draws a dot per placed task and a count only on cells with several', () => {
    const html = renderToStaticMarkup(
      <svg>
        <TaskDotsLayer clusters={layoutClusters(tasks)} />
      </svg>,
    );

    expect(html.match(/class="task-dot /g)).toHaveLength(3);
    expect(html).toContain('task-dot--verifying');
    expect(html.match(/class="cluster-count"/g)).toHaveLength(1);
    expect(html).toContain('48° N, 2° E: 1 running, 1 verifying');
  });

  it('fades in only the dots that appeared live', () => {
    const listed = { ...task('listed', 'running', { lat: 48, lon: 2 }), placedLive: false };
    const html = renderToStaticMarkup(
      <svg>
        <TaskDotsLayer clusters={layoutClusters(new Map([['listed', listed], ['c', task('c', 'assigned', { lat: -12, lon: -77 })]]))} />
      </svg>,
    );

    expect(html.match(/task-dot--arriving/g)).toHaveLength(1);
    expect(html).toContain('class="task-dot task-dot--running"');
  });
});

describe('ActiveCellsTable', () => {
  it('starts collapsed behind a button that says how many cells it lists', () => {
    const html = renderToStaticMarkup(
      <ActiveCellsTable clusters={layoutClusters(tasks)} cells={cellsFromMap([{ lat: 48, lon: 2, workers: 3, activeTasks: 2 }])} />,
    );

    expect(html).toContain('aria-expanded="false"');
    expect(html).toContain('Show the 2 cells with tasks as a table');
    expect(html).not.toContain('<table');
  });

  it('shows nothing when no task is on a cell', () => {
    expect(renderToStaticMarkup(<ActiveCellsTable clusters={[]} cells={new Map()} />)).toBe('');
  });
});
