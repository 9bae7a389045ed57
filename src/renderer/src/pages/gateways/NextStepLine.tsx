import { Icon } from '../../components/Icon';
import { navigate } from '../../routing';
import type { NextStep } from './next-step';

/** The overview's one suggestion: what to do next, with the button that does it. */
export function NextStepLine({ name, step }: { name: string; step: NextStep | null }) {
  if (!step) return null;
  return (
    <p
      className={`panel ${step.tone === 'warn' ? 'panel-warn' : 'panel-info'} next-step`}
      data-testid="next-step"
    >
      <Icon name={step.tone === 'warn' ? 'warn' : 'next'} /> {step.text}{' '}
      {step.action && (
        <button type="button" className="primary" onClick={() => navigate(step.action!.area, name)}>
          {step.action.label}
        </button>
      )}
    </p>
  );
}
