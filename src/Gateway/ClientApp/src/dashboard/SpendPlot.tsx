import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTimestamp } from '../format/formatTimestamp';
import { displayMoney, moneyToNumber } from '../format/money';
import { bucketMs, type BucketWidth, type SpendAmounts, type SpendSeries } from './spendSeries';
import { useThemeColours, type ThemeColours } from '../theme/useThemeColours';

/** Each line has its own colour and dash, so they can be told apart without colour too. */
const LINES: readonly { key: keyof SpendAmounts; label: string; colour: string; dash: number[] }[] = [
  { key: 'spent', label: 'Spent', colour: '--spend-spent', dash: [] },
  { key: 'refunded', label: 'Refunded', colour: '--spend-refunded', dash: [8, 4] },
  { key: 'held', label: 'Held', colour: '--spend-held', dash: [2, 3] },
];

const NARROW_PX = 520;

interface SpendPlotProps {
  series: SpendSeries;
  /** What the chart shows, for people who cannot see it. */
  label: string;
}

/** The uPlot chart of spend per bucket: one step line per kind of money, sized to its container. */
export function SpendPlot({ series, label }: SpendPlotProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shown = useRef(series);
  const palette = useThemeColours();

  useEffect(() => {
    const element = container.current;
    if (element === null) {
      return;
    }
    const created = new uPlot(plotOptions(element, palette, () => shown.current), plotData(shown.current), element);
    plot.current = created;
    let width = element.clientWidth;
    const observer = new ResizeObserver((entries) => {
      const next = Math.floor(entries[0]?.contentRect.width ?? width);
      // The legend changing the height must not resize the plot again.
      if (next !== width && next > 0) {
        width = next;
        created.setSize(plotSize(next));
      }
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      created.destroy();
      plot.current = null;
    };
    // A new palette (the theme changed) draws a new chart: canvas colours are fixed when it is made.
  }, [palette]);

  useEffect(() => {
    shown.current = series;
    plot.current?.setData(plotData(series));
  }, [series]);

  return <div ref={container} className="spend-plot" role="img" aria-label={label} />;
}

/** A bucket's value holds from its start to the next bucket's: steps, not slopes between points. */
function steppedPaths(): Pick<uPlot.Series, 'paths'> {
  const stepped = uPlot.paths.stepped;
  return stepped === undefined ? {} : { paths: stepped({ align: 1, extend: true }) };
}

/** A time axis label in UTC, like the rest of the app: "13:45", or the date where a day starts. */
function utcTick(seconds: number, width: BucketWidth): string {
  const iso = new Date(seconds * 1000).toISOString();
  const time = iso.slice(11, 16);
  return width === 'day' || time === '00:00' ? iso.slice(5, 10) : time;
}

function plotSize(width: number): { width: number; height: number } {
  return { width, height: width < NARROW_PX ? 200 : 260 };
}

function plotData(series: SpendSeries): uPlot.AlignedData {
  return [
    series.buckets.map((b) => b.start / 1000),
    ...LINES.map((line) => series.buckets.map((b) => moneyToNumber(b[line.key]))),
  ];
}

/** The options for the theme's colours; `current` gives the series the scales and legend describe. */
function plotOptions(element: HTMLElement, palette: ThemeColours, current: () => SpendSeries): uPlot.Options {
  // The lines' colours are the dashboard's own variables (dashboard.css), which follow the theme's.
  const style = getComputedStyle(element);
  const colour = (name: string) => style.getPropertyValue(name).trim() || palette.text;
  const axis = { stroke: palette.muted, grid: { stroke: palette.line, width: 1 }, ticks: { stroke: palette.line, width: 1 } };
  return {
    ...plotSize(Math.max(element.clientWidth, 1)),
    // Buckets are UTC, as the rest of the app shows times.
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    scales: {
      x: {
        time: true,
        // The whole window, the last bucket as wide as the others.
        range: () => {
          const { buckets, width } = current();
          const first = buckets[0]?.start ?? 0;
          const end = (buckets[buckets.length - 1]?.start ?? first) + bucketMs(width);
          return [first / 1000, end / 1000];
        },
      },
      y: { range: (_self, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
    },
    axes: [
      { ...axis, values: (_self, ticks) => ticks.map((seconds) => utcTick(seconds, current().width)) },
      { ...axis, size: 60, label: 'GSTD', labelSize: 20 },
    ],
    series: [
      {
        label: 'Bucket from',
        // Nothing hovered: uPlot passes no time (null), which must not read as 1970.
        value: (_self: uPlot, seconds: number | null) => (seconds === null ? '—' : formatTimestamp(new Date(seconds * 1000).toISOString())),
      },
      ...LINES.map((line) => ({
        label: line.label,
        stroke: colour(line.colour),
        width: 2,
        dash: line.dash,
        ...steppedPaths(),
        // The legend shows the exact amount of the hovered bucket, not the plotted float.
        value: (_self: uPlot, _raw: number, _seriesIdx: number, idx: number | null) => {
          const bucket = idx === null ? undefined : current().buckets[idx];
          return bucket === undefined ? '—' : displayMoney(bucket[line.key]);
        },
      })),
    ],
  };
}
