import uPlot from 'uplot';
import { formatTimestamp } from '../format/formatTimestamp';
import { displayMoney } from '../format/money';
import type { ThemeColours } from '../theme/useThemeColours';
import { BUCKET_MS, type EarningsBucket, type EarningsSeries } from './earnings';

/** uPlot options less the size, which UPlotChart takes from its container. */
export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

// Every time in the app is shown in UTC (formatTimestamp), so the charts' time axes are too.
const utc = (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');

// uPlot passes null for "no point here" although its types say number, hence the finite checks.
function timeLabel(seconds: number | undefined): string {
  return seconds === undefined || !Number.isFinite(seconds) ? '—' : formatTimestamp(new Date(seconds * 1000).toISOString());
}

function axis(colours: ThemeColours): uPlot.Axis {
  return { stroke: colours.muted, grid: { stroke: colours.line, width: 1 }, ticks: { stroke: colours.line, width: 1 } };
}

/** Trust as a step line on a fixed 0–1 scale: it holds its value until the next change. */
export function trustChartOptions(colours: ThemeColours): ChartOptions {
  const stepped = uPlot.paths.stepped?.({ align: 1 });
  return {
    tzDate: utc,
    scales: { x: { time: true }, y: { range: [0, 1] } },
    axes: [axis(colours), axis(colours)],
    series: [
      { label: 'Time', value: (_chart, seconds) => timeLabel(seconds) },
      {
        label: 'Trust',
        stroke: colours.accent,
        width: 2,
        ...(stepped === undefined ? {} : { paths: stepped }),
        points: { show: true, size: 6, fill: colours.background, stroke: colours.accent },
        value: (_chart, trust) => (Number.isFinite(trust) ? trust.toFixed(4) : '—'),
      },
    ],
  };
}

/** The x of each bar: the middle of its bucket, in epoch seconds. */
export function earningsBarTimes(series: EarningsSeries, bucket: EarningsBucket): number[] {
  const half = BUCKET_MS[bucket] / 2;
  return series.starts.map((start) => (start + half) / 1000);
}

/** Earnings as one bar per bucket; the legend shows each bucket's exact amount, not the chart's float. */
export function earningsChartOptions(colours: ThemeColours, series: EarningsSeries, bucket: EarningsBucket): ChartOptions {
  const bars = uPlot.paths.bars?.({ size: [0.8, 48], align: 0 });
  const first = series.starts[0] ?? 0;
  const end = (series.starts.at(-1) ?? first) + BUCKET_MS[bucket];
  return {
    tzDate: utc,
    // The whole window is shown, so the first and last bars are not cut in half.
    scales: { x: { time: true, range: () => [first / 1000, end / 1000] }, y: { range: (_chart, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [axis(colours), axis(colours)],
    series: [
      { label: bucket === 'hour' ? 'Hour from' : 'Day from', value: (_chart, _raw, _series, index) => timeLabel(startSeconds(series, index)) },
      {
        label: 'Earned',
        stroke: colours.good,
        fill: colours.good,
        ...(bars === undefined ? {} : { paths: bars }),
        points: { show: false },
        value: (_chart, _raw, _series, index) => {
          const total = index === null ? undefined : series.totals[index];
          return total === undefined ? '—' : displayMoney(total);
        },
      },
    ],
  };
}

function startSeconds(series: EarningsSeries, index: number | null): number | undefined {
  const start = index === null ? undefined : series.starts[index];
  return start === undefined ? undefined : start / 1000;
}
