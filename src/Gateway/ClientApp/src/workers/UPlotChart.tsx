import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartOptions } from './chartOptions';
import './uplotChart.css';

interface UPlotChartProps {
  /** A new object rebuilds the chart (e.g. on a theme change); memoise it. */
  options: ChartOptions;
  /** New data is drawn into the existing chart. */
  data: uPlot.AlignedData;
  /** Of the plot and its axes, in CSS pixels; the width follows the container. */
  height: number;
  /** What the chart shows, for screen readers: the canvas says nothing. Give the numbers as text nearby too. */
  label: string;
}

/** A uPlot chart as wide as its container; destroyed on unmount. */
export function UPlotChart({ options, data, height, label }: UPlotChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latestData = useRef(data);

  useEffect(() => {
    latestData.current = data;
    chart.current?.setData(data);
  }, [data]);

  useEffect(() => {
    const element = container.current;
    if (element === null) {
      return;
    }
    const created = new uPlot({ ...options, width: element.clientWidth, height }, latestData.current, element);
    chart.current = created;
    // The legend below the plot changes the container's height; only a new width needs a redraw.
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0);
      if (width > 0 && width !== created.width) {
        created.setSize({ width, height });
      }
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      created.destroy();
      chart.current = null;
    };
  }, [options, height]);

  return <div ref={container} className="uplot-chart" role="img" aria-label={label} />;
}
