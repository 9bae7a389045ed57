import type { JobRow } from '../jobs/store';
import type { WriteStream } from 'node:fs';
import type { RiggerEvent } from '../../../shared/events';
import type { OperationOutput } from '../../../shared/api';
import type { Profile, SlotId } from '../../../shared/profile';
import type { ConsoleSessionInfo } from '../../../shared/serial';
import type { ConsoleState } from './console-state';
import type { SerialLink } from './link';
import type { UBootDriver } from './uboot-driver';
import type { ConsoleFlashWay } from './console-flash-jobs';

/** An open console: one per port, shared by the terminal and the gateway's operations. */
export interface Session {
  id: string;
  link: SerialLink;
  uboot: UBootDriver;
  baud: number;
  state: ConsoleState;
  capturePath: string;
  capture: WriteStream;
  gateway: string | null;
  profile: Profile | null;
  busy: boolean;
  /** A flash job drives the console for minutes: other actions are refused meanwhile. */
  flashing: boolean;
  /** Short actions run one after another in this chain. */
  queue: Promise<unknown>;
}

/** A quick action at the console (U-Boot's prompt, mostly). */
export type ConsoleAction =
  'stop_autoboot' | 'printenv' | 'reset' | 'switch_slot' | 'boot_recovery';

/** The events this service emits on the core's bus. */
export type ConsoleEvent = Extract<RiggerEvent, { type: 'console_data' }>;

/**
 * Serial console sessions, one per port: the bytes go to the terminal and a capture file, the
 * terminal types into it, and actions (U-Boot, a slot flash over YMODEM) drive it one at a time.
 *
 * Emits on the core's events: `console_data` with every chunk a console prints; a flash is a
 * job of the job engine (its `progress_update`, `status_change`, `job_complete`).
 */
export interface ConsoleService {
  /** Open a port, or join the console already open on it (its recent output as `backlog`). */
  open(
    path: string,
    baud: number,
    gateway?: string,
  ): Promise<ConsoleSessionInfo & { backlog: string }>;
  /** The session on `path`, opened if none is; joining at another baud is refused. */
  attach(path: string, baud: number, gateway?: string): Promise<Session>;
  /** Drive an open console (typing refused meanwhile); one action at a time. */
  drive<T>(s: Session, fn: () => Promise<T>): Promise<T>;
  /** Type into the console (refused while an action drives it). */
  write(id: string, data: string): { written: number };
  /** A session as the API shows it. */
  info(s: Session): ConsoleSessionInfo;
  /** Look at what the console shows now (U-Boot, a login, a shell). */
  detect(id: string): Promise<ConsoleSessionInfo>;
  /** Run a quick action; switching the slot and booting recovery need the gateway's profile. */
  action(
    id: string,
    action: ConsoleAction,
    slot?: SlotId,
  ): Promise<OperationOutput<'console.action'>>;
  /** Flash a slot from the library over this console (a job); trust and fit checked first. */
  flash(
    id: string,
    imageId: string,
    slot: SlotId,
    allowUnsigned: boolean,
    way?: ConsoleFlashWay,
  ): { job_id: string };
  /** Go on with an interrupted console flash from its first chunk not proven. */
  resumeFlash(jobId: string): Promise<JobRow>;
  /** A debug bundle from this console: its capture, and U-Boot's environment at the prompt. */
  debug(id: string): Promise<OperationOutput<'console.debug'>>;
  /** Close one console and its capture file. */
  close(id: string): Promise<{ closed: true }>;
  /** Close every console (the core is closing). */
  closeAll(): Promise<void>;
}
