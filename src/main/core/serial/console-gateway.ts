import { RiggerError } from '../../../shared/errors';
import type { Gateway } from '../../../shared/gateways';
import type { Profile, SlotId } from '../../../shared/profile';
import type { GatewayStatus } from '../../../shared/status';
import { otherSlot } from '../bootloader/slots';
import { schemeFor } from '../bootloader/scheme';
import { gatherFacts } from '../gateways/facts';
import type { GatewaySession } from '../gateways/session';
import { assembleStatus } from '../gateways/status';
import { readEnv, writeEnv } from '../ota/env-write';
import {
  asSerial,
  consolePassword,
  consoleSession,
  needLinux,
  settle,
  shellOn,
  type SerialGateway,
} from './console-settle';
import type { ConsoleFlashWay } from './console-flash-jobs';
import type { ConsoleService } from './console-service';
import { bootRecoveryAtUboot, recoveryCommand, switchAtUboot } from './uboot-actions';
import { ubootStatus } from './uboot-status';

export interface ConsoleGatewayDeps {
  consoles: ConsoleService;
  /** The console login's password, when the gateway record has one. */
  password(gateway: Gateway): string | undefined;
}

/** Operations on a gateway registered with a serial connection. */
export function createConsoleGateways(d: ConsoleGatewayDeps) {
  const attach = (g: SerialGateway) =>
    d.consoles.attach(g.connection.port, g.connection.baud, g.name);
  const password = (g: SerialGateway) => consolePassword(g, d.password);

  return {
    async status(g0: Gateway, profile: Profile): Promise<GatewayStatus> {
      const g = asSerial(g0);
      const s = await attach(g);
      return d.consoles.drive(s, async () => {
        const state = await settle(s);
        if (state === 'uboot') {
          const env = await s.uboot.printenv();
          return ubootStatus(
            env,
            profile,
            s.link.where,
            'At the U-Boot prompt: only the bootloader environment can be read; Linux has not started, so its figures are unknown.',
          );
        }
        if (state === 'autoboot') {
          return ubootStatus(
            null,
            profile,
            s.link.where,
            'U-Boot is counting down to boot: Rigger did not stop it. Stop autoboot to read the environment, or wait for Linux.',
          );
        }
        const shell = await shellOn(g, s, password(g));
        const facts = await gatherFacts(shell, profile);
        return assembleStatus(facts, profile, { type: 'console', target: s.link.where });
      });
    },

    /** A logged-in Linux session over the console, as other areas use SSH (typing waits). */
    async session(g0: Gateway): Promise<GatewaySession> {
      const g = asSerial(g0);
      const s = await attach(g);
      const shell = await d.consoles.drive(s, async () => {
        needLinux(g, await settle(s));
        return shellOn(g, s, password(g));
      });
      return consoleSession(d.consoles, s, shell);
    },

    /**
     * Boot `slot` from now on. At U-Boot: the scheme's variables, saveenv (its failure is an
     * error and nothing is reset), reset. At a Linux shell: the same variables in one
     * fw_setenv write, read back, then the profile's reboot command.
     */
    async switchSlot(g0: Gateway, profile: Profile, slot: SlotId) {
      const g = asSerial(g0);
      const s = await attach(g);
      return d.consoles.drive(s, async () => {
        let state = await settle(s);
        const vars = schemeFor(profile).disable(otherSlot(slot), slot, profile);
        if (state === 'autoboot') {
          await s.uboot.stopAutoboot(60_000);
          state = s.state = 'uboot';
        }
        if (state === 'uboot') {
          const env = await switchAtUboot(s.uboot, profile, slot);
          s.state = 'unknown';
          return {
            slot,
            via: 'uboot' as const,
            env,
            message: `Slot ${slot} selected and saved at U-Boot; the gateway is resetting`,
          };
        }
        const shell = await shellOn(g, s, password(g));
        await writeEnv(shell, profile, vars, 'switch');
        const env = await readEnv(shell, profile);
        // The reboot's answer never comes: the console goes on to show the boot.
        s.link.write(`${profile.reboot_command}\r`);
        s.state = 'unknown';
        return {
          slot,
          via: 'linux' as const,
          env,
          message: `Slot ${slot} selected with fw_setenv and read back; the gateway is rebooting`,
        };
      });
    },

    /**
     * Flash a slot from the library over the console (a job; see console-flash). The console
     * is brought to the U-Boot prompt (a countdown is stopped; Linux is refused: update it over
     * SSH). Without a slot, the one U-Boot does not boot next.
     */
    async flash(
      g0: Gateway,
      profile: Profile,
      imageId: string,
      slot: SlotId | undefined,
      allowUnsigned: boolean,
      way: ConsoleFlashWay = {},
    ) {
      const g = asSerial(g0);
      const s = await attach(g);
      const target = await d.consoles.drive(s, async () => {
        let state = await settle(s);
        if (state === 'autoboot') {
          await s.uboot.stopAutoboot(60_000);
          state = s.state = 'uboot';
        }
        if (state !== 'uboot') {
          throw new RiggerError(
            'VALIDATION_ERROR',
            `${g.name} runs Linux (${state}): flashing over the console happens at U-Boot`,
            { gateway: g.name, state },
            [
              'Update it over SSH if its network works (much faster)',
              'Or reset it and stop its autoboot on the Console page, then flash',
            ],
          );
        }
        if (slot) return slot;
        const next = schemeFor(profile).read(await s.uboot.printenv(), profile, null).next_slot;
        if (!next) {
          throw new RiggerError(
            'OTA_008',
            'The environment does not say which slot U-Boot boots next: name the slot to flash',
            { gateway: g.name },
            ['Give the slot (A or B) explicitly'],
          );
        }
        return otherSlot(next);
      });
      return {
        ...d.consoles.flash(s.id, imageId, target, allowUnsigned, way),
        slot: target,
      };
    },

    /** At U-Boot, run the profile's command that boots the recovery system. */
    async bootRecovery(g0: Gateway, profile: Profile) {
      const g = asSerial(g0);
      recoveryCommand(profile); // no console opened for a profile that cannot do it
      const s = await attach(g);
      return d.consoles.drive(s, async () => {
        let state = await settle(s);
        if (state === 'autoboot') {
          await s.uboot.stopAutoboot(60_000);
          state = 'uboot';
        }
        if (state !== 'uboot') {
          throw new RiggerError(
            'VALIDATION_ERROR',
            `${g.name} runs Linux (${state}): the recovery system is started from U-Boot`,
            { gateway: g.name, state },
            ['Reset the gateway and stop its autoboot on the Console page, then try again'],
          );
        }
        const r = await bootRecoveryAtUboot(s.uboot, profile);
        s.state = 'unknown';
        return { ...r, message: `Booting the recovery system (${r.command})` };
      });
    },
  };
}

export type ConsoleGateways = ReturnType<typeof createConsoleGateways>;
