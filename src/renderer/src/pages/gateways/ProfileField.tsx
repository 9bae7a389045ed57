import { useRef, useState } from 'react';
import type { RiggerErrorData } from '../../../../shared/errors';
import type { ProfileSummary } from '../../../../shared/profile';
import { Icon } from '../../components/Icon';
import { asError } from '../../stores/client';
import { hasFileDialog } from '../../stores/client';
import { selectProfiles, useGateways } from '../../stores/gateways';

interface Props {
  id: string;
  value: string;
  error?: string;
  onValue: (value: string) => void;
}

/**
 * The gateway's profile: one of the known ones, or a file chosen here (the desktop app's dialog,
 * or a browser upload), checked before anything is saved and then known by its name.
 */
export function ProfileField({ id, value, error, onValue }: Props) {
  const profiles = useGateways(selectProfiles);
  const input = useRef<HTMLInputElement>(null);
  const [picked, setPicked] = useState<ProfileSummary | null>(null);
  const [problem, setProblem] = useState<RiggerErrorData | null>(null);
  const [again, setAgain] = useState<{ file: File } | 'dialog' | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async (from: { file: File } | 'dialog', replace = false) => {
    setBusy(true);
    setProblem(null);
    setAgain(null);
    try {
      const s = await useGateways.getState().importProfile(from, replace);
      if (!s) return;
      setPicked(s);
      onValue(s.name);
    } catch (err) {
      const e = asError(err);
      setProblem(e);
      setPicked(null);
      if (e.code === 'ALREADY_EXISTS') setAgain(from);
    } finally {
      setBusy(false);
    }
  };
  const choose = () => (hasFileDialog() ? void load('dialog') : input.current?.click());
  const described = [error ? `${id}-error` : '', picked || problem ? `${id}-file` : '']
    .filter(Boolean)
    .join(' ');

  return (
    <div className="field">
      <label htmlFor={id}>Profile</label>
      <div className="row">
        <select
          id={id}
          className="grow"
          value={value}
          onChange={(e) => onValue(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
        >
          {!profiles.length && <option value="">No profiles found</option>}
          {profiles.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} — {p.model} ({p.scheme})
            </option>
          ))}
          {value && !profiles.some((p) => p.name === value) && (
            <option value={value}>{value}</option>
          )}
        </select>
        <button type="button" onClick={choose} disabled={busy} data-testid="profile-from-file">
          Choose a file…
        </button>
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="profile-file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void load({ file });
          }}
        />
      </div>
      {picked && (
        <span className="field-hint" id={`${id}-file`} data-testid="profile-file-result">
          <Icon name="check" /> Profile <strong>{picked.name}</strong>: {picked.model}, boot scheme{' '}
          {picked.scheme}. Kept in Rigger's profiles.
        </span>
      )}
      {problem && (
        <span className="field-error" id={`${id}-file`} data-testid="profile-file-error">
          <Icon name="warn" /> {problem.message}
          {again && (
            <button type="button" onClick={() => void load(again, true)} disabled={busy}>
              Replace the known one
            </button>
          )}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          <Icon name="warn" /> {error}
        </span>
      )}
    </div>
  );
}
