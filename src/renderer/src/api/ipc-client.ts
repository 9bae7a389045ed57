import type { ApiClient, RiggerBridge } from '../../../shared/api-client';
import { fromErrorData, isRiggerErrorData, RiggerError } from '../../../shared/errors';

/** The ApiClient inside Electron: through the preload's `window.rigger`. */
export function ipcClient(bridge: RiggerBridge): ApiClient {
  return {
    async call(op, input) {
      const r = await bridge.call(op, input);
      if (r.ok) return r.value as never;
      throw isRiggerErrorData(r.error)
        ? fromErrorData(r.error)
        : new RiggerError('INTERNAL', String(r.error));
    },
    on(type, handler) {
      return bridge.on(type, handler as (e: unknown) => void);
    },
  };
}
