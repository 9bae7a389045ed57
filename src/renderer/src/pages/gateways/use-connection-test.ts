import { useState } from 'react';
import type { RiggerErrorData } from '../../../../shared/errors';
import type { ConnectionTest } from '../../../../shared/gateway-test';
import type { Gateway } from '../../../../shared/gateways';
import { asError } from '../../stores/client';
import { useGateways } from '../../stores/gateways';
import { toTestInput, type GatewayForm } from './form-model';

/** The form's connection test: its result holds only while the tested fields stay as they were. */
export function useConnectionTest(form: GatewayForm, editing: Gateway | null) {
  const [done, setDone] = useState<{ key: string; result: ConnectionTest } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<RiggerErrorData | null>(null);
  const input = toTestInput(form, editing);
  const key = JSON.stringify(input);
  const result = done?.key === key ? done.result : null;
  const k = result?.ok ? result.host_key : null;
  return {
    result,
    busy,
    error,
    /** The test passed for exactly the fields on the form. */
    passed: result?.ok === true,
    /** A first key the technician accepted and the login worked with: pinned when saving. */
    pin:
      k && k.state === 'new' ? { algorithm: k.algorithm, fingerprint: k.fingerprint } : undefined,
    async run(accept?: string) {
      setBusy(true);
      setError(null);
      try {
        const r = await useGateways.getState().testConnection({
          ...input,
          ...(accept ? { accept_fingerprint: accept } : {}),
        });
        setDone({ key, result: r });
      } catch (err) {
        setDone(null);
        setError(asError(err));
      } finally {
        setBusy(false);
      }
    },
  };
}
