import type { AppInfo } from '../../../../shared/api';
import { TextField } from './TextField';
import type { AuthChoice, FieldErrors, FormField, GatewayForm } from './form-model';

interface Props {
  form: GatewayForm;
  errors: FieldErrors;
  /** The gateway already has a stored password (editing). */
  hasStoredPassword: boolean;
  secrets: AppInfo['secrets'] | null;
  /** A serial console's login: no key file; maybe no password at all. */
  serial?: boolean;
  onAuth: (auth: AuthChoice) => void;
  onField: (field: FormField) => (value: string) => void;
}

const PASSWORD_NOTE: Record<AppInfo['secrets'], string> = {
  'safe-storage': "kept encrypted in this computer's keychain",
  memory: 'kept in memory only, until Rigger closes',
  none: 'cannot be stored here: use a key file or an environment variable',
};

/** How Rigger logs in: a key file, a stored password, or a password from the environment. */
export function AuthFields({
  form,
  errors,
  hasStoredPassword,
  secrets,
  serial = false,
  onAuth,
  onField,
}: Props) {
  const noSecrets = secrets === 'none';
  const choices: ReadonlyArray<readonly [AuthChoice, string, string | null]> = [
    serial
      ? ['none', 'No password', 'the console logs in without one, or is already at a shell']
      : ['key', 'Key file', null],
    ['password', 'Password', secrets ? PASSWORD_NOTE[secrets] : null],
    ['password-env', 'Password from an environment variable', 'read when Rigger connects'],
  ];
  return (
    <>
      <fieldset className="field">
        <legend>Login with</legend>
        {choices.map(([value, label, note]) => (
          <label key={value} className="radio">
            <input
              type="radio"
              name="auth"
              value={value}
              checked={form.auth === value}
              disabled={value === 'password' && noSecrets && form.auth !== 'password'}
              onChange={() => onAuth(value)}
              data-testid={`auth-${value}`}
            />
            <span>
              {label}
              {note && <span className="muted"> ({note})</span>}
            </span>
          </label>
        ))}
      </fieldset>
      {form.auth === 'key' && (
        <TextField
          id="gateway-key-file"
          label="Private key file"
          value={form.keyFile}
          error={errors.keyFile}
          hint="The path of the SSH private key on the computer running Rigger"
          placeholder="/home/tech/.ssh/id_ed25519"
          autoComplete="off"
          spellCheck={false}
          onValue={onField('keyFile')}
        />
      )}
      {form.auth === 'key' && !serial && (
        <TextField
          id="gateway-key-passphrase"
          label="Key passphrase"
          type="password"
          value={form.keyPassphrase}
          error={errors.keyPassphrase}
          hint={`Only if the key has one${secrets ? `; ${PASSWORD_NOTE[secrets]}` : ''}. Left empty when editing: the stored one stays.`}
          autoComplete="off"
          onValue={onField('keyPassphrase')}
        />
      )}
      {form.auth === 'password' && (
        <TextField
          id="gateway-password"
          label="Password"
          type="password"
          value={form.password}
          error={errors.password}
          hint={hasStoredPassword ? 'Leave empty to keep the stored password' : undefined}
          autoComplete="new-password"
          onValue={onField('password')}
        />
      )}
      {form.auth === 'password-env' && (
        <TextField
          id="gateway-password-env"
          label="Environment variable name"
          value={form.passwordEnv}
          error={errors.passwordEnv}
          placeholder="CRANE7_PASSWORD"
          autoComplete="off"
          spellCheck={false}
          onValue={onField('passwordEnv')}
        />
      )}
    </>
  );
}
