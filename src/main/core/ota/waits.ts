import { RiggerError } from '../../../shared/errors';
import type { GatewayStatus } from '../../../shared/status';
import type { JobContext } from '../jobs/engine';
import { nowIso } from '../util/time';
import { abortError } from '../slots/retry';
import { pause, type JobFlowDeps } from './context';
import { sameBoot } from './boot-proof';

/**
 * Check safety before an irreversible step; while a constraint blocks, the job pauses with a
 * safety_alert and polls, until it clears, the job is cancelled, or the bound passes (OTA_002).
 */
export async function safeToProceed(
  d: JobFlowDeps,
  ctx: JobContext,
  gateway: string,
  action: string,
) {
  const deadline = Date.now() + d.timings.safetyWaitMs;
  const resume = ctx.row();
  for (;;) {
    try {
      await d.safety.check(gateway, action);
      if (ctx.row().status === 'paused_safety') ctx.setStatus(resume.status, resume.operation);
      return;
    } catch (err) {
      if (!(err instanceof RiggerError) || err.code !== 'OTA_002' || Date.now() > deadline)
        throw err;
      if (ctx.row().status !== 'paused_safety') {
        ctx.setStatus('paused_safety', `waiting_for_safety_before_${action.replace(/\W+/g, '_')}`);
        ctx.state({ paused_error: err.toData() });
      }
      await pause(d.timings.pollMs, ctx.signal);
      if (ctx.signal.aborted) throw abortError();
    }
  }
}

/** Seconds of countdown as system_event messages, then return. */
export async function countdown(d: JobFlowDeps, ctx: JobContext, gateway: string, seconds: number) {
  for (let left = seconds; left > 0; left--) {
    d.events.emit({
      type: 'system_event',
      event: 'reboot_scheduled',
      message: `${gateway} reboots in ${left} seconds`,
      timestamp: nowIso(),
      countdown: left,
    });
    await pause(1000, ctx.signal);
    if (ctx.signal.aborted) throw abortError();
  }
}

/**
 * Deliver the reboot command, reconnecting with backoff when the link dropped after the
 * environment was written (rule 6: the switch is journaled, the reboot may still be owed).
 * A gateway that has already rebooted on its own is left alone. Bounded by the reboot wait.
 */
export async function deliverReboot(
  d: JobFlowDeps,
  gateway: string,
  rebooted: (s: GatewayStatus) => boolean,
  signal?: AbortSignal,
): Promise<'sent' | 'already_rebooted'> {
  const deadline = Date.now() + d.timings.rebootWaitMs;
  let delay = 500;
  for (;;) {
    try {
      const status = await d.gateways.status(gateway, 'pinned-only');
      if (rebooted(status)) return 'already_rebooted';
      const { profile, session } = await d.gateways.session(gateway);
      // The link may die under the command: that is the reboot working, not an error.
      await session.exec(profile.reboot_command, { timeoutMs: 15000 }).catch(() => undefined);
      return 'sent';
    } catch (err) {
      if (Date.now() > deadline) throw err;
      d.gateways.forget(gateway);
      await pause(delay, signal);
      if (signal?.aborted) throw abortError();
      delay = Math.min(delay * 2, 5000);
    }
  }
}

/**
 * Reconnect after a reboot with backoff until `ready(status)` says the gateway has really
 * rebooted, within the bound. Null when it did not come back in time. A gateway that keeps
 * answering unrebooted for `rebootStillUpMs` (the command was lost with the link) is sent
 * `stillUp` once. A cancel ends the wait.
 */
export async function waitForGateway(
  d: JobFlowDeps,
  gateway: string,
  ready: (s: GatewayStatus) => boolean,
  signal?: AbortSignal,
  stillUp?: () => Promise<void>,
  deadline = Date.now() + d.timings.rebootWaitMs,
): Promise<GatewayStatus | null> {
  let delay = 500;
  let upSince: number | null = null;
  let nudged = false;
  while (Date.now() < deadline) {
    await pause(delay, signal);
    if (signal?.aborted) throw abortError();
    // Backoff capped near the poll interval: a quick reboot is seen quickly, a slow one not hammered.
    delay = Math.min(delay * 2, Math.max(1000, Math.min(5000, d.timings.pollMs * 4)));
    try {
      d.gateways.forget(gateway);
      const s = await d.gateways.status(gateway, 'pinned-only');
      if (ready(s)) return s;
      upSince ??= Date.now();
      if (stillUp && !nudged && Date.now() - upSince >= d.timings.rebootStillUpMs) {
        nudged = true;
        await stillUp();
      }
    } catch {
      // Still rebooting: sshd not up yet, or the link refused. Try again.
      upSince = null;
    }
  }
  return null;
}

/**
 * Wait for a reboot that is proven: `proven` holds, and a second read after a settle shows the
 * same boot (a half-rebooted gateway can answer from its old system once, never twice alike
 * once the new one is up). Until then keep waiting, within the reboot bound. Null: not in time.
 */
export async function waitForProvenBoot(
  d: JobFlowDeps,
  gateway: string,
  proven: (s: GatewayStatus) => boolean,
  signal?: AbortSignal,
  stillUp?: () => Promise<void>,
): Promise<GatewayStatus | null> {
  const deadline = Date.now() + d.timings.rebootWaitMs;
  let nudge = stillUp;
  while (Date.now() < deadline) {
    const first = await waitForGateway(d, gateway, proven, signal, nudge, deadline);
    if (!first) return null;
    // It did reboot: a second reboot command would only cost the new slot a boot try.
    nudge = undefined;
    await pause(Math.max(d.timings.pollMs, 1000), signal);
    if (signal?.aborted) throw abortError();
    d.gateways.forget(gateway);
    const second = await d.gateways.status(gateway, 'pinned-only').catch(() => null);
    if (second && proven(second) && sameBoot(first, second)) return second;
  }
  return null;
}

/** Run health_check until it passes or the bound passes. */
export async function waitHealthy(d: JobFlowDeps, gateway: string): Promise<boolean> {
  const deadline = Date.now() + d.timings.healthWaitMs;
  for (;;) {
    try {
      const { profile, session } = await d.gateways.session(gateway);
      const r = await session.exec(profile.health_check, { timeoutMs: 30000 });
      if (r.code === 0) return true;
    } catch {
      d.gateways.forget(gateway);
    }
    if (Date.now() > deadline) return false;
    await pause(d.timings.pollMs);
  }
}
