import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useCallback, useEffect, useRef } from 'react';
import type { BackupStatistics } from '../../../../shared/backup-places';

Chart.register(
  BarController,
  BarElement,
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
const mb = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;

/** One Chart.js chart on a canvas, rebuilt when its configuration changes. */
function ChartCanvas({
  config,
  label,
  testId,
}: {
  config: () => ConstructorParameters<typeof Chart>[1];
  label: string;
  testId: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config());
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="history-chart">
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} />
    </div>
  );
}

const axis = () => ({ ticks: { color: cssVar('--fg'), font: { size: 13 } } });
const legend = () => ({ legend: { labels: { color: cssVar('--fg'), font: { size: 15 } } } });

/**
 * The statistics as charts: backups per day (successful and failed, bars with different fills)
 * with their size as a line; bytes per location; what deduplication saves. The table beside
 * them holds the same figures in words.
 */
export function StatsCharts({ stats }: { stats: BackupStatistics }) {
  const timeline = useCallback(() => {
    const days = [...stats.timeline].reverse();
    return {
      type: 'bar' as const,
      data: {
        labels: days.map((d) => d.date),
        datasets: [
          {
            type: 'bar' as const,
            label: 'Successful',
            data: days.map((d) => d.successful),
            backgroundColor: cssVar('--ok'),
            stack: 'count',
            yAxisID: 'y',
          },
          {
            type: 'bar' as const,
            label: 'Failed',
            data: days.map((d) => d.failed),
            backgroundColor: cssVar('--bad'),
            borderColor: cssVar('--fg'),
            borderWidth: 2,
            stack: 'count',
            yAxisID: 'y',
          },
          {
            type: 'line' as const,
            label: 'Size (MB)',
            data: days.map((d) => mb(stats.bytes.by_day[d.date] ?? 0)),
            borderColor: cssVar('--accent'),
            backgroundColor: cssVar('--accent'),
            borderDash: [6, 4],
            yAxisID: 'size',
          },
        ],
      },
      options: {
        animation: false as const,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: axis(),
          y: {
            ...axis(),
            beginAtZero: true,
            stacked: true,
            title: { display: true, text: 'backups' },
          },
          size: {
            ...axis(),
            position: 'right' as const,
            beginAtZero: true,
            title: { display: true, text: 'MB' },
          },
        },
        plugins: legend(),
      },
    };
  }, [stats]);
  const places = useCallback(() => {
    const where = Object.entries(stats.bytes.by_location);
    return {
      type: 'bar' as const,
      data: {
        labels: [...where.map(([l]) => l), 'saved by deduplication'],
        datasets: [
          {
            label: 'MB',
            data: [...where.map(([, b]) => mb(b)), mb(stats.bytes.dedup_saved)],
            backgroundColor: [...where.map(() => cssVar('--accent')), cssVar('--ok')],
          },
        ],
      },
      options: {
        animation: false as const,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: 'y' as const,
        scales: { x: { ...axis(), beginAtZero: true }, y: axis() },
        plugins: { legend: { display: false } },
      },
    };
  }, [stats]);
  return (
    <div className="stats-charts">
      <ChartCanvas
        config={timeline}
        testId="backup-timeline-chart"
        label={`Backups per day over ${stats.period}: successful and failed bars, size as a line. The table lists each day.`}
      />
      <ChartCanvas
        config={places}
        testId="backup-places-chart"
        label="Megabytes of backups per storage location, and what deduplication saves. The table lists each figure."
      />
    </div>
  );
}
