import { useCallback, useState, type FormEvent } from 'react';
import type { Gateway } from '../../../../shared/gateways';
import { Dialog } from '../../components/Dialog';
import { asError } from '../../stores/errors';
import { useGateways } from '../../stores/gateways';
import {
  emptyForm,
  formFrom,
  serverErrors,
  toInput,
  validate,
  type FieldErrors,
  type GatewayForm,
} from './form-model';

interface Props {
  editing: Gateway | null;
  onClose: () => void;
}

/** Add or edit a gateway, checked field by field before anything is sent. */
export function GatewayFormDialog({ editing, onClose }: Props) {
  const profiles = useGateways((s) => s.profiles);
  const [form, setForm] = useState<GatewayForm>(() =>
    editing ? formFrom(editing) : emptyForm(profiles[0]?.name ?? ''),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = useCallback(() => onClose(), [onClose]);
  const set = (k: keyof GatewayForm) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validate(form);
    setErrors(found);
    setGeneral(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const input = toInput(form);
      if (editing) await useGateways.getState().edit({ name: editing.name, changes: input });
      else await useGateways.getState().add(input);
      onClose();
    } catch (err) {
      const mapped = serverErrors(asError(err));
      setErrors(mapped.fields);
      setGeneral(mapped.general);
    } finally {
      setBusy(false);
    }
  };

  const field = (k: keyof GatewayForm, label: string, props: Record<string, unknown> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input
        value={form[k]}
        onChange={set(k)}
        aria-invalid={!!errors[k]}
        aria-describedby={errors[k] ? `${k}-err` : undefined}
        {...props}
      />
      {errors[k] && (
        <span className="field-error" id={`${k}-err`}>
          ⚠ {errors[k]}
        </span>
      )}
    </label>
  );

  return (
    <Dialog title={editing ? `Edit ${editing.name}` : 'Add a gateway'} onClose={close}>
      <form onSubmit={submit} noValidate>
        {field('name', 'Name', { placeholder: 'crane-7', autoComplete: 'off' })}
        <label className="field">
          <span>Profile</span>
          <select value={form.profile} onChange={set('profile')} aria-invalid={!!errors.profile}>
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name} — {p.model} ({p.scheme})
              </option>
            ))}
            {form.profile && !profiles.some((p) => p.name === form.profile) && (
              <option value={form.profile}>{form.profile}</option>
            )}
          </select>
          {errors.profile && <span className="field-error">⚠ {errors.profile}</span>}
        </label>
        <div className="row">
          {field('host', 'SSH host', { placeholder: '10.0.0.5' })}
          {field('port', 'Port', { inputMode: 'numeric', className: 'narrow' })}
          {field('user', 'User')}
        </div>
        <fieldset className="field">
          <legend>Login with</legend>
          {(
            [
              ['key', 'Key file'],
              ['password', 'Password (kept in the keychain)'],
              ['password-env', 'Password from an environment variable'],
            ] as const
          ).map(([v, label]) => (
            <label key={v} className="radio">
              <input
                type="radio"
                name="auth"
                value={v}
                checked={form.auth === v}
                onChange={() => setForm((f) => ({ ...f, auth: v }))}
              />
              {label}
            </label>
          ))}
        </fieldset>
        {form.auth === 'key' &&
          field('keyFile', 'Private key file', { placeholder: '/home/tech/.ssh/id_ed25519' })}
        {form.auth === 'password' &&
          field('password', editing ? 'Password (leave empty to keep)' : 'Password', {
            type: 'password',
            autoComplete: 'off',
          })}
        {form.auth === 'password-env' &&
          field('passwordEnv', 'Variable name', { placeholder: 'CRANE7_PASSWORD' })}
        {general && (
          <p className="panel panel-error" role="alert">
            ⛔ {general}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
