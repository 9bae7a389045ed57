import type { BootState, PartitionStatus } from '../../../../shared/status';
import { StatusWord } from '../../components/StatusWord';
import { shown } from '../../format';

/** One root slot: booted or not, its version, state, health, attempts left and next boot. */
export function SlotCard({
  slot,
  partition,
  boot,
  booted,
}: {
  slot: 'A' | 'B';
  partition: PartitionStatus | null;
  boot: BootState | null;
  booted: boolean;
}) {
  const attempts = boot?.slots[slot].attempts_left ?? null;
  return (
    <article
      className={`slot ${booted ? 'slot-booted' : ''}`}
      data-testid={`slot-${slot}`}
      aria-label={`Slot ${slot}`}
    >
      <header>
        <h3>Slot {slot}</h3>
        {booted && <span className="tag">BOOTED</span>}
        {boot?.next_slot === slot && <span className="tag tag-next">NEXT BOOT</span>}
      </header>
      <p className="version" data-testid={`slot-${slot}-version`}>
        {shown(partition?.version)}
      </p>
      <dl className="facts">
        <dt>State</dt>
        <dd>{partition ? <StatusWord status={partition.status} /> : 'unknown'}</dd>
        <dt>Health</dt>
        <dd>{booted ? shown(partition?.health) : 'not running'}</dd>
        <dt>Boot attempts left</dt>
        <dd>
          {attempts === null
            ? booted && boot?.upgrade_pending === false
              ? 'committed'
              : 'unknown'
            : attempts}
        </dd>
        <dt>Size / used</dt>
        <dd>
          {shown(partition?.size)} / {shown(partition?.used)}
        </dd>
      </dl>
    </article>
  );
}
