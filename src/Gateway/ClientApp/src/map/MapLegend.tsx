import { formatCount, LEGEND_ORDER, plural, STATE_NAMES, type MapSummary } from './mapSummary';

/** What the colours mean with how many tasks are in each, and the tasks the map cannot place. */
export function MapLegend({ summary }: { summary: MapSummary }) {
  const { counts } = summary;
  return (
    <ul className="map-legend" aria-label="Legend">
      <li>
        <Swatch className="worker-cell" />
        Online workers (larger: more in the cell)
      </li>
      {LEGEND_ORDER.map((state) => (
        <li key={state}>
          <Swatch className={`task-dot task-dot--${state} legend-dot`} />
          {formatCount(counts[state])} {STATE_NAMES[state]}
        </li>
      ))}
      <li className="legend-unplaced">{formatCount(counts.queued)} queued</li>
      {counts.retrying > 0 && <li className="legend-unplaced">{formatCount(counts.retrying)} waiting to retry</li>}
      {summary.unlocated > 0 && (
        <li className="legend-unplaced">{plural(summary.unlocated, 'task')} on a worker with no location</li>
      )}
    </ul>
  );
}

function Swatch({ className }: { className: string }) {
  return (
    <svg className="legend-swatch" viewBox="-5 -5 10 10" aria-hidden="true">
      <circle className={className} r="4" />
    </svg>
  );
}
