import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { TrustChange } from '../api/types';
import { useNow } from '../app/useNow';
import { useThemeColours } from '../theme/useThemeColours';
import { trustChartOptions } from './chartOptions';
import { trustSeries } from './trustSeries';
import { UPlotChart } from './UPlotChart';
import { formatTrust } from './workerFormat';

/** The trust line: each recorded change, extended to the present with the current trust. */
export function TrustChart({ history, trust }: { history: readonly TrustChange[]; trust: number }) {
  const colours = useThemeColours();
  // Only moves the line's end to the present; the data itself arrives by events.
  const now = useNow(60_000);
  const series = useMemo(() => trustSeries(history, trust, now), [history, trust, now]);
  const options = useMemo(() => trustChartOptions(colours), [colours]);
  const data = useMemo<uPlot.AlignedData>(() => [series.times, series.values], [series]);
  const label = `Trust over time: ${series.times.length - 1} recorded changes, now ${formatTrust(trust)}.`;
  return <UPlotChart options={options} data={data} height={200} label={label} />;
}
