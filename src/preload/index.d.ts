import type { OperationInput, OperationName } from '../shared/api';
import type { RiggerBridge } from '../shared/api-client';

type Envelope = Awaited<ReturnType<RiggerBridge['call']>>;
type AreaOf<Op> = Op extends `${infer Area}.${string}` ? Area : never;
type TaskOf<Op, Area extends string> = Op extends `${Area}.${infer Task}` ? Task : never;

/**
 * The task-named functions the preload adds to `window.rigger`, one per operation of the shared
 * table: `rigger.gateways.status({ name })`. Each answers the same envelope as `call`.
 */
type RiggerTasks = {
  [Area in AreaOf<OperationName>]: {
    [Task in TaskOf<OperationName, Area>]: (
      input?: OperationInput<`${Area}.${Task}` & OperationName>,
    ) => Promise<Envelope>;
  };
};

declare global {
  /** Everything the preload exposes as `window.rigger`, task-named functions included. */
  type RiggerWindowApi = RiggerBridge & RiggerTasks;

  interface Window {
    /**
     * The preload bridge; present only inside the Electron app, absent in browser mode. The same
     * declaration as src/renderer/src/env.d.ts (TypeScript requires the two to agree); cast to
     * RiggerWindowApi for the task-named functions.
     */
    rigger?: RiggerBridge;
  }
}
