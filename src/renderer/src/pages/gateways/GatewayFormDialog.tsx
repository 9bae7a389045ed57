import { Icon } from '../../components/Icon';
import { useState, type FormEvent } from 'react';
import type { Gateway } from '../../../../shared/gateways';
import { Dialog } from '../../components/Dialog';
import { connectionLine } from '../../format';
import { asError } from '../../stores/client';
import { useGateways } from '../../stores/gateways';
import { useUi } from '../../stores/ui';
import { AuthFields } from './AuthFields';
import { ConnectionTestPanel } from './ConnectionTestPanel';
import { FormActions } from './FormActions';
import { INPUT_ID } from './form-ids';
import { ProfileField } from './ProfileField';
import { useConnectionTest } from './use-connection-test';
import { TextField } from './TextField';
import {
  emptyForm,
  FIELD_ORDER,
  formFrom,
  serverErrors,
  toAddInput,
  toEditInput,
  validate,
  type FieldErrors,
  type FormField,
  type GatewayForm,
} from './form-model';

interface Props {
  editing: Gateway | null;
  onClose: () => void;
}

/** Add or edit a gateway, checked field by field with the shared schema before anything is sent. */
export function GatewayFormDialog({ editing, onClose }: Props) {
  const profiles = useGateways((s) => s.profiles);
  const secrets = useUi((s) => s.appInfo?.secrets ?? null);
  const [form, setForm] = useState<GatewayForm>(() =>
    editing ? formFrom(editing) : emptyForm(profiles[0]?.name ?? ''),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  // The core asked to confirm a new address (it drops the trusted host key); the next Save does.
  const [confirmMove, setConfirmMove] = useState(false);
  const serial = form.via === 'serial';
  const test = useConnectionTest(form, editing);
  const hasStoredPassword = editing?.connection.auth.method === 'password';

  const update = (next: GatewayForm) => {
    setForm(next);
    // After a first Save, errors follow the typing so a fixed field clears at once.
    if (tried) setErrors(validate(next, editing));
  };
  const onField = (field: FormField) => (value: string) => update({ ...form, [field]: value });

  const focusFirst = (found: FieldErrors) => {
    const first = FIELD_ORDER.find((f) => found[f]);
    if (first) document.getElementById(INPUT_ID[first])?.focus();
  };

  /** Check the fields; true when they may be sent. */
  const checked = () => {
    setTried(true);
    setGeneral(null);
    const found = validate(form, editing);
    setErrors(found);
    if (Object.keys(found).length) focusFirst(found);
    return !Object.keys(found).length;
  };
  const runTest = () => {
    if (!busy && !test.busy && checked()) void test.run();
  };

  // Over SSH, Enter tests first; Save is offered once the test passed (or, deliberately, without).
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!serial && !test.passed) return runTest();
    void save();
  };

  const save = async () => {
    if (busy || !checked()) return;
    setBusy(true);
    const host_key = test.passed ? test.pin : undefined;
    try {
      if (editing)
        await useGateways.getState().edit({
          ...toEditInput(editing, form),
          ...(confirmMove ? { confirm_new_address: true } : {}),
          ...(host_key ? { host_key } : {}),
        });
      else
        await useGateways
          .getState()
          .add({ ...toAddInput(form), ...(host_key ? { host_key } : {}) });
      onClose();
    } catch (err) {
      const e = asError(err);
      setConfirmMove(e.details?.confirm === 'confirm_new_address');
      const mapped = serverErrors(e);
      setErrors(mapped.fields);
      setGeneral(mapped.general);
      focusFirst(mapped.fields);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={editing ? `Edit ${editing.name}` : 'Add a gateway'}
      onClose={onClose}
      testId="gateway-form"
    >
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <TextField
          id={INPUT_ID.name}
          label="Name"
          value={form.name}
          error={errors.name}
          placeholder="crane-7"
          autoComplete="off"
          spellCheck={false}
          onValue={onField('name')}
        />
        <ProfileField
          id={INPUT_ID.profile}
          value={form.profile}
          error={errors.profile}
          onValue={onField('profile')}
        />
        <fieldset className="field">
          <legend>Reached over</legend>
          {(
            [
              ['ssh', 'SSH (its network)'],
              ['serial', 'Serial console (USB-to-serial adapter)'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="radio">
              <input
                type="radio"
                name="via"
                id={`via-${value}`}
                value={value}
                checked={form.via === value}
                onChange={() =>
                  update({
                    ...form,
                    via: value,
                    // A console has no key: a key login becomes "no password" and back.
                    auth:
                      value === 'serial' && form.auth === 'key'
                        ? 'none'
                        : value === 'ssh' && form.auth === 'none'
                          ? 'key'
                          : form.auth,
                  })
                }
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        {editing && editing.connection.type !== form.via && (
          <p className="panel panel-info">Was: {connectionLine(editing.connection)}.</p>
        )}
        {serial ? (
          <>
            <div className="row">
              <TextField
                id={INPUT_ID.serialPort}
                label="Console port"
                value={form.serialPort}
                error={errors.serialPort}
                placeholder="/dev/ttyUSB0 or COM3"
                autoComplete="off"
                spellCheck={false}
                onValue={onField('serialPort')}
                className="grow"
              />
              <TextField
                id={INPUT_ID.baud}
                label="Baud"
                value={form.baud}
                error={errors.baud}
                inputMode="numeric"
                onValue={onField('baud')}
                className="narrow"
              />
              <TextField
                id={INPUT_ID.user}
                label="Login user"
                value={form.user}
                error={errors.user}
                autoComplete="off"
                spellCheck={false}
                onValue={onField('user')}
                className="medium"
              />
            </div>
            <AuthFields
              form={form}
              errors={errors}
              hasStoredPassword={hasStoredPassword}
              secrets={secrets}
              serial
              onAuth={(auth) => update({ ...form, auth })}
              onField={onField}
            />
          </>
        ) : (
          <>
            <div className="row">
              <TextField
                id={INPUT_ID.host}
                label="SSH host"
                value={form.host}
                error={errors.host}
                placeholder="10.0.0.5"
                autoComplete="off"
                spellCheck={false}
                onValue={onField('host')}
                className="grow"
              />
              <TextField
                id={INPUT_ID.port}
                label="Port"
                value={form.port}
                error={errors.port}
                inputMode="numeric"
                onValue={onField('port')}
                className="narrow"
              />
              <TextField
                id={INPUT_ID.user}
                label="User"
                value={form.user}
                error={errors.user}
                autoComplete="off"
                spellCheck={false}
                onValue={onField('user')}
                className="medium"
              />
            </div>
            <AuthFields
              form={form}
              errors={errors}
              hasStoredPassword={hasStoredPassword}
              secrets={secrets}
              onAuth={(auth) => update({ ...form, auth })}
              onField={onField}
            />
          </>
        )}
        {general && (
          <p className="panel panel-error" role="alert" data-testid="gateway-form-error">
            <Icon name="stop" /> {general}
            {confirmMove && ' Save again to confirm the new address.'}
          </p>
        )}
        {!serial && test.result && (
          <ConnectionTestPanel
            result={test.result}
            busy={test.busy}
            onAccept={(f) => void test.run(f)}
          />
        )}
        {!serial && test.error && (
          <p className="panel panel-error" role="alert" data-testid="connection-test-error">
            <Icon name="stop" /> {test.error.message}
          </p>
        )}
        <FormActions
          serial={serial}
          tested={test.passed}
          testing={test.busy}
          saving={busy}
          onCancel={onClose}
          onSaveUntested={() => void save()}
        />
      </form>
    </Dialog>
  );
}
