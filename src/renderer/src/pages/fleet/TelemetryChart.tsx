import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import type { MetricSeries } from './fleet-view';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);

const cssVar = (name: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#000';
/** Line styles besides colours, so two series never differ by colour alone. */
const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];

/**
 * A device's metrics per interval as lines (Chart.js on a canvas). The table beside it holds the
 * same figures in words.
 */
export function TelemetryChart({ data, aggregation }: { data: MetricSeries; aggregation: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const fg = cssVar('--fg');
    const colours = [cssVar('--accent'), cssVar('--warn'), cssVar('--ok'), cssVar('--bad')];
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: {
        labels: data.labels.map((l) => l.slice(0, 16).replace('T', ' ')),
        datasets: data.lines.map((l, i) => ({
          label: `${l.metric} (${aggregation})`,
          data: l.values,
          borderColor: colours[i % colours.length],
          backgroundColor: colours[i % colours.length],
          borderDash: DASHES[i % DASHES.length],
          spanGaps: false,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { ticks: { color: fg, font: { size: 13 } } },
          y: { ticks: { color: fg, font: { size: 13 } } },
        },
        plugins: { legend: { labels: { color: fg, font: { size: 15 } } } },
      },
    });
    return () => chart.destroy();
  }, [data, aggregation]);
  return (
    <div className="history-chart">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`${data.lines.map((l) => l.metric).join(', ')} per interval (${aggregation}) over ${data.labels.length} intervals. The table beside it lists each figure.`}
        data-testid="telemetry-chart"
      />
    </div>
  );
}
