import type { RiggerBridge } from '../../shared/api-client';

declare global {
  interface Window {
    /** Present only inside the Electron app (the preload bridge). */
    rigger?: RiggerBridge;
  }
}
export {};
