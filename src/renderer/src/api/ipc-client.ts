import type { ApiClient, RiggerBridge } from '../../../shared/api-client';
import type { OpenFileOutput } from '../../../shared/dialog';
import { fromErrorData, isRiggerErrorData, RiggerError } from '../../../shared/errors';

type Envelope = Awaited<ReturnType<RiggerBridge['call']>>;

/** The value of the bridge's envelope, or the RiggerError it carries. */
export function unwrapEnvelope(envelope: Envelope): unknown {
  if (envelope.ok) return envelope.value;
  if (isRiggerErrorData(envelope.error)) throw fromErrorData(envelope.error);
  throw new RiggerError('INTERNAL', `Unexpected error from the app: ${String(envelope.error)}`);
}

/** The ApiClient inside Electron: through the preload's `window.rigger`. */
export function createIpcClient(bridge: RiggerBridge): ApiClient {
  const { openFile, pathForFile } = bridge;
  return {
    async call(op, input) {
      let envelope: Envelope;
      try {
        envelope = await bridge.call(op, input);
      } catch (err) {
        // The bridge itself failed (the main process went away): not a core answer.
        throw new RiggerError('INTERNAL', `The app's core did not answer: ${String(err)}`, {}, [
          'Restart Rigger',
        ]);
      }
      return unwrapEnvelope(envelope) as never;
    },
    on(type, handler) {
      return bridge.on(type, handler as (event: unknown) => void);
    },
    // IPC to the app's own main process does not drop events: there is never a gap to fill.
    onResync() {
      return () => undefined;
    },
    // Only where the preload offers them: a client without them has no dialog, no drop paths.
    ...(openFile && {
      openFile: async (input) => unwrapEnvelope(await openFile(input)) as OpenFileOutput,
    }),
    ...(pathForFile && { pathForFile: (file) => pathForFile(file) || null }),
  };
}
