import { Icon } from '../../components/Icon';
import type { SlotId } from '../../../../shared/profile';
import type { BootState, PartitionStatus } from '../../../../shared/status';
import { Facts } from '../../components/Facts';
import { StatusWord } from '../../components/StatusWord';
import { shown } from '../../format';
import { attemptsText, healthText, isNextBoot } from './gateway-view';

interface Props {
  slot: SlotId;
  partition: PartitionStatus | null;
  boot: BootState | null;
  booted: boolean;
}

/** One root slot: booted or not, its version, state, health, attempts left and next boot. */
export function SlotCard({ slot, partition, boot, booted }: Props) {
  const next = isNextBoot(boot, partition, slot);
  const health = healthText(partition, booted);
  return (
    <article
      className={`slot${booted ? ' slot-booted' : ''}`}
      data-testid={`slot-${slot}`}
      aria-label={`Slot ${slot}${booted ? ', booted' : ''}`}
    >
      <header className="slot-head">
        <h3>Slot {slot}</h3>
        {booted ? (
          <span className="tag tag-booted" data-testid={`slot-${slot}-booted`}>
            BOOTED
          </span>
        ) : (
          <span className="tag tag-idle">not booted</span>
        )}
      </header>
      <p className="version" data-testid={`slot-${slot}-version`}>
        {shown(partition?.version)}
      </p>
      <p className="slot-state">
        <StatusWord status={partition?.status ?? 'unknown'} testId={`slot-${slot}-status`} />
      </p>
      <Facts
        rows={[
          [
            'Health',
            health === 'good' || health === 'bad' ? <StatusWord status={health} /> : health,
          ],
          ['Boot attempts left', attemptsText(boot, slot)],
          [
            'Next boot',
            next === null ? (
              'unknown'
            ) : next ? (
              <strong className="next-boot" data-testid={`slot-${slot}-next-boot`}>
                <Icon name="next" /> boots next
              </strong>
            ) : (
              'no'
            ),
          ],
          ['Size', shown(partition?.size)],
          ['Used', shown(partition?.used)],
        ]}
      />
    </article>
  );
}
