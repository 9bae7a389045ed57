import { useMemo } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useFleet, type Aggregation, type Interval } from '../../stores/fleet';
import { figure, seriesOf } from './fleet-view';
import { TelemetryChart } from './TelemetryChart';

const AGGREGATIONS: Aggregation[] = ['avg', 'min', 'max', 'sum', 'count', 'percentile_95'];
const INTERVALS: Interval[] = ['1m', '5m', '1h', '1d'];

/** One device's telemetry per interval: pickers, the chart, and the same figures in a table. */
export function FleetTelemetry() {
  const { devices, device, aggregation, interval, series, metrics, telemetryError, pick } =
    useFleet();
  const data = useMemo(
    () => (series ? seriesOf(series, metrics, aggregation) : null),
    [series, metrics, aggregation],
  );
  return (
    <section aria-labelledby="fleet-telemetry">
      <h2 id="fleet-telemetry">Telemetry</h2>
      <div className="page-head">
        <label className="inline">
          Device
          <select
            value={device ?? ''}
            onChange={(e) => void pick({ device: e.target.value })}
            data-testid="telemetry-device"
          >
            {devices.map((d) => (
              <option key={d.device_id} value={d.device_id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Aggregation
          <select
            value={aggregation}
            onChange={(e) => void pick({ aggregation: e.target.value as Aggregation })}
            data-testid="telemetry-aggregation"
          >
            {AGGREGATIONS.map((a) => (
              <option key={a} value={a}>
                {a === 'percentile_95' ? '95th percentile' : a}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Interval
          <select
            value={interval}
            onChange={(e) => void pick({ interval: e.target.value as Interval })}
            data-testid="telemetry-interval"
          >
            {INTERVALS.map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
      </div>
      {telemetryError && <ErrorPanel error={telemetryError} title="Telemetry could not be read" />}
      {!data && !telemetryError && <p>No samples from this device in the period.</p>}
      {data && (
        <>
          <TelemetryChart data={data} aggregation={aggregation} />
          <table className="table" data-testid="telemetry-table">
            <caption>
              {data.lines.map((l) => l.metric).join(', ')}, {aggregation} per {interval}
            </caption>
            <thead>
              <tr>
                <th scope="col">Interval from</th>
                {data.lines.map((l) => (
                  <th scope="col" key={l.metric}>
                    {l.metric}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.labels.map((label, i) => (
                <tr key={label}>
                  <td>{label}</td>
                  {data.lines.map((l) => (
                    <td key={l.metric}>{figure(l.values[i])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
