import { Icon } from './Icon';

/** A job's named steps in a line: done, now, to come (in words too, not by colour alone). */
export function StepLine({ labels, at, done }: { labels: string[]; at: number; done: boolean }) {
  return (
    <ol className="step-line">
      {labels.map((label, i) => {
        const past = done || i < at;
        return (
          <li
            key={label}
            className={past ? 'done' : i === at ? 'now' : ''}
            aria-current={i === at && !done ? 'step' : undefined}
          >
            <Icon name={past ? 'check' : i === at ? 'next' : 'ring'} /> {label}
            <span className="visually-hidden">
              {past ? ' (done)' : i === at ? ' (now)' : ' (to come)'}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
