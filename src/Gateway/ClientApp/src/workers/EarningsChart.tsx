import { useMemo } from 'react';
import type uPlot from 'uplot';
import { moneyToNumber } from '../format/money';
import { useThemeColours } from '../theme/useThemeColours';
import { earningsBarTimes, earningsChartOptions } from './chartOptions';
import type { EarningsBucket, EarningsSeries } from './earnings';
import { UPlotChart } from './UPlotChart';

/** One bar per bucket; the floats are chart coordinates only, the legend and totals stay exact. */
export function EarningsChart({ series, bucket, label }: { series: EarningsSeries; bucket: EarningsBucket; label: string }) {
  const colours = useThemeColours();
  const options = useMemo(() => earningsChartOptions(colours, series, bucket), [colours, series, bucket]);
  const data = useMemo<uPlot.AlignedData>(() => [earningsBarTimes(series, bucket), series.totals.map(moneyToNumber)], [series, bucket]);
  return <UPlotChart options={options} data={data} height={200} label={label} />;
}
