import { STAT_PERIODS, type StatPeriod } from '../../../../shared/backup-places';
import { StatusWord } from '../../components/StatusWord';
import { useBackupPlaces } from '../../stores/backup-places';
import { StatsCharts } from './StatsCharts';

/** Statistics of the period as charts with the same facts in a table, and each place's health. */
export function PlacesStats() {
  const { stats, storage, period } = useBackupPlaces();
  return (
    <section aria-labelledby="bk-stats" data-testid="backup-statistics">
      <div className="page-head">
        <h2 id="bk-stats">Statistics</h2>
        <label className="inline">
          Period
          <select
            value={period}
            onChange={(e) =>
              void useBackupPlaces.getState().setPeriod(e.target.value as StatPeriod)
            }
            data-testid="backup-stats-period"
          >
            {STAT_PERIODS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      </div>
      {storage && (
        <ul
          className="location-badges"
          aria-label="Storage locations"
          data-testid="location-badges"
        >
          {storage.storage_locations.map((l) => (
            <li key={l.id} data-testid={`location-${l.id}`} title={l.health_detail ?? ''}>
              {l.name}: <StatusWord status={l.enabled ? l.health : 'disabled'} />
              {l.last_sync ? (
                <span className="muted">
                  {' '}
                  · last sync {l.last_sync.slice(0, 16).replace('T', ' ')}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {stats && (
        <div className="stats-layout">
          <StatsCharts stats={stats} />
          <div>
            <table className="table" data-testid="backup-stats-table">
              <caption>
                {stats.summary.total_backups} backup(s) in {stats.period}:{' '}
                {stats.summary.successful} successful, {stats.summary.failed} failed (
                {stats.summary.success_rate})
              </caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Successful</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Size</th>
                </tr>
              </thead>
              <tbody>
                {stats.timeline.map((d) => (
                  <tr key={d.date}>
                    <th scope="row">{d.date}</th>
                    <td>{d.successful}</td>
                    <td>{d.failed}</td>
                    <td>{d.size}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <dl className="facts">
              <dt>Backups hold</dt>
              <dd>{stats.summary.total_size}</dd>
              <dt>Stored (deduplicated)</dt>
              <dd>{stats.summary.storage_used}</dd>
              <dt>Growth</dt>
              <dd>{stats.summary.storage_growth}</dd>
              {Object.entries(stats.storage_distribution).map(([loc, v]) => (
                <div key={loc}>
                  <dt>At {loc}</dt>
                  <dd>
                    {v.count} backup(s), {v.size}
                  </dd>
                </div>
              ))}
            </dl>
          </div>
        </div>
      )}
    </section>
  );
}
