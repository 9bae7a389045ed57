import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import type { PerDay } from './history-view';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const cssVar = (name: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#000';

/**
 * Updates per day, stacked by outcome (Chart.js on a canvas). The legend names every series
 * and the table under the chart holds the same facts in words: colour is never the only cue.
 */
export function HistoryChart({ data }: { data: PerDay }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const fg = cssVar('--fg');
    const series = [
      { label: 'Committed', data: data.success, backgroundColor: cssVar('--ok') },
      { label: 'Rolled back', data: data.rolledBack, backgroundColor: cssVar('--warn') },
      { label: 'Failed', data: data.failed, backgroundColor: cssVar('--bad') },
      { label: 'Cancelled', data: data.cancelled, backgroundColor: cssVar('--soft-line') },
    ];
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels: data.labels, datasets: series },
      options: {
        animation: false,
        datasets: { bar: { maxBarThickness: 64 } },
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { stacked: true, ticks: { color: fg, font: { size: 14 } } },
          y: {
            stacked: true,
            beginAtZero: true,
            ticks: { color: fg, precision: 0, font: { size: 14 } },
            title: { display: true, text: 'Updates', color: fg },
          },
        },
        plugins: { legend: { labels: { color: fg, font: { size: 15 } } } },
      },
    });
    return () => chart.destroy();
  }, [data]);
  const total = data.success.reduce((a, b) => a + b, 0);
  return (
    <div className="history-chart">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`Updates per day over ${data.labels.length} days: ${total} committed, the rest rolled back, failed or cancelled. The table below lists each one.`}
        data-testid="history-chart"
      />
    </div>
  );
}
