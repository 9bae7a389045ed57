import type { RiggerBridge } from '../../shared/api-client';

declare global {
  interface Window {
    /** The preload bridge; present only inside the Electron app, absent in browser mode. */
    rigger?: RiggerBridge;
  }
}
export {};
