import { Icon } from '../../components/Icon';
import type { InputHTMLAttributes } from 'react';

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  id: string;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  onValue: (value: string) => void;
}

/** A labelled input with its hint and its error, both tied to it for screen readers. */
export function TextField({ id, label, value, error, hint, onValue, className, ...rest }: Props) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        {...rest}
      />
      {hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`} data-testid={`${id}-error`}>
          <Icon name="warn" /> {error}
        </span>
      )}
    </div>
  );
}
