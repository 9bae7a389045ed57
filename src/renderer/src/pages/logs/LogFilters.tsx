import { useState } from 'react';
import { LOG_SOURCES } from '../../../../shared/monitor';
import { useLogs, type LogLevel, type LogSource } from '../../stores/logs';
import { LEVELS } from './level-look';

const LIMITS = [1000, 10_000, 100_000];

/** The seed's filters: level, source, since, until, and how many lines. */
export function LogFilters() {
  const query = useLogs((s) => s.query);
  const [since, setSince] = useState(query.since ?? '');
  const [until, setUntil] = useState(query.until ?? '');
  const set = (patch: Parameters<ReturnType<typeof useLogs.getState>['setQuery']>[0]) =>
    void useLogs.getState().setQuery(patch);
  return (
    <form
      className="log-filters"
      aria-label="Filters"
      onSubmit={(e) => {
        e.preventDefault();
        set({ since: since || undefined, until: until || undefined });
      }}
    >
      <label>
        Level
        <select
          value={query.level ?? ''}
          onChange={(e) => set({ level: (e.target.value || undefined) as LogLevel | undefined })}
        >
          <option value="">All levels</option>
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label>
        Source
        <select
          value={query.source ?? ''}
          onChange={(e) => set({ source: (e.target.value || undefined) as LogSource | undefined })}
        >
          <option value="">All sources</option>
          {LOG_SOURCES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Since
        <input
          type="datetime-local"
          step="1"
          value={since}
          onChange={(e) => setSince(e.target.value)}
        />
      </label>
      <label>
        Until
        <input
          type="datetime-local"
          step="1"
          value={until}
          onChange={(e) => setUntil(e.target.value)}
        />
      </label>
      <button type="submit">Apply times</button>
      <label>
        Lines
        <select
          value={query.limit}
          onChange={(e) => set({ limit: Number(e.target.value) })}
          data-testid="logs-limit"
        >
          {LIMITS.map((n) => (
            <option key={n} value={n}>
              newest {n.toLocaleString()}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
