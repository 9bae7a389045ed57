import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { LogEntry } from '../../../../shared/monitor';
import { Icon } from '../../components/Icon';
import { LEVEL_LOOK } from './level-look';
import { formatSeedTime } from '../../../../shared/format/time';

const ROW_PX = 30;

/**
 * The lines in a virtualized list: only the rows in view (and a few around) are in the page,
 * so 100,000 lines scroll as smoothly as 100. In follow mode the newest line stays in view.
 */
export function LogList({ lines, follow }: { lines: LogEntry[]; follow: boolean }) {
  const scroller = useRef<HTMLDivElement>(null);
  // TanStack Virtual hands out fresh functions each render, so React's compiler skips this one.
  // eslint-disable-next-line react-hooks/incompatible-library
  const list = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_PX,
    overscan: 20,
  });
  useEffect(() => {
    if (follow && lines.length) list.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [follow, lines, list]);

  if (!lines.length) return <p className="muted">No log lines match these filters.</p>;
  return (
    <div
      ref={scroller}
      className="log-scroller"
      tabIndex={0}
      role="table"
      aria-label={`Log lines, oldest first (${lines.length.toLocaleString()})`}
      aria-rowcount={lines.length}
      data-testid="log-list"
    >
      <div style={{ height: list.getTotalSize(), position: 'relative' }} role="rowgroup">
        {list.getVirtualItems().map((v) => {
          const e = lines[v.index]!;
          const look = LEVEL_LOOK[e.level];
          return (
            <div
              key={v.key}
              role="row"
              aria-rowindex={v.index + 1}
              className={`log-row ${look.className}`}
              style={{ transform: `translateY(${v.start}px)`, height: ROW_PX }}
              data-testid="log-row"
            >
              <span role="cell" className="log-time">
                {e.timestamp ? formatSeedTime(e.timestamp) : '—'}
              </span>
              <span role="cell" className="log-level">
                <Icon name={look.icon} /> {e.level}
              </span>
              <span role="cell" className="log-source">
                {e.source}
              </span>
              <span role="cell" className="log-msg" title={e.message}>
                {e.message}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
