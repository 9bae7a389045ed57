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
import type { ConsoleService, Session } from './console-service';
import { ConsoleShell } from './shell-driver';
import { bootRecoveryAtUboot, recoveryCommand, switchAtUboot } from './uboot-actions';

type SerialGateway = Gateway & { connection: Extract<Gateway['connection'], { type: 'serial' }> };

export interface ConsoleGatewayDeps {
  consoles: ConsoleService;
  /** The console login's password, when the gateway record has one. */
  password(gateway: Gateway): string | undefined;
}

/** How long a booting kernel gets to reach its login prompt before Rigger gives up waiting. */
const BOOT_WAIT_MS = 120_000;

export function asSerial(g: Gateway): SerialGateway {
  if (g.connection.type !== 'serial') {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Gateway "${g.name}" is reached over SSH, not a serial console`,
      { gateway: g.name },
      ['Use the SSH operations for it, or add its console as another gateway'],
    );
  }
  return g as SerialGateway;
}

/**
 * The status at the U-Boot prompt: only the environment can be read. Linux facts are null;
 * `partitions.active` is the slot U-Boot will boot (nothing is booted), and `boot.booted_slot`
 * stays null, so nothing that needs a booted system (an update over SSH) takes it as one.
 */
export function ubootStatus(
  env: Record<string, string> | null,
  profile: Profile,
  target: string,
  note: string,
): GatewayStatus {
  const envText = env
    ? Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n')
    : null;
  const base = assembleStatus(envText === null ? {} : { env: { rc: 0, out: envText } }, profile, {
    type: 'console',
    target,
  });
  const next = base.boot?.next_slot ?? null;
  const scheme = env ? schemeFor(profile).read(env, profile, next) : null;
  const slot = (id: SlotId | null, role: 'active' | 'inactive') => {
    const st = id && base.boot ? base.boot.slots[id] : null;
    return {
      ...base.partitions[role],
      id,
      version: null,
      status:
        st?.bootable === false && st.attempts_left === 0
          ? ('unbootable' as const)
          : ('unknown' as const),
      boot_count: role === 'active' ? (scheme?.boot_count ?? null) : null,
      next_boot: id && next ? id === next : null,
      health: null,
    };
  };
  return {
    ...base,
    status: 'bootloader',
    partitions: {
      ...base.partitions,
      active: slot(next, 'active'),
      inactive: slot(next ? otherSlot(next) : null, 'inactive'),
    },
    system: {
      cpu_usage: null,
      memory_usage: null,
      disk_usage: null,
      temperature: null,
      network_status: null,
    },
    // Only what the environment says; the Linux files cannot be read from U-Boot.
    warnings: [note, ...(scheme?.warnings ?? [])],
  };
}

/** Operations on a gateway registered with a serial connection. */
export function createConsoleGateways(d: ConsoleGatewayDeps) {
  const attach = (g: SerialGateway) =>
    d.consoles.attach(g.connection.port, g.connection.baud, g.name);

  const password = (g: SerialGateway): string | undefined => {
    const auth = g.connection.auth;
    if (auth.method === 'none') return undefined;
    if (auth.method === 'password-env') {
      const value = process.env[auth.password_env];
      if (value === undefined) {
        throw new RiggerError(
          'SECRET_UNAVAILABLE',
          `The console password of "${g.name}" is read from $${auth.password_env}, which is not set`,
          { gateway: g.name, variable: auth.password_env },
          [`export ${auth.password_env}=… before running Rigger`],
        );
      }
      return value;
    }
    return d.password(g);
  };

  /** Where the console is now; a booting kernel is waited for until its login prompt. */
  const settle = async (s: Session): Promise<Session['state']> => {
    // Listen longer than a countdown's one-second tick: a newline sent into a countdown
    // would stop the boot, which only the technician decides.
    s.state = await s.uboot.detect(1500);
    if (s.state === 'kernel') {
      await s.link.waitFor(/login:\s*$/i, s.link.mark(), BOOT_WAIT_MS, 'the login prompt');
      s.state = 'login';
    }
    if (s.state === 'silent' || s.state === 'unknown') {
      throw new RiggerError(
        'HOST_UNREACHABLE',
        `Nothing sensible answers on ${s.link.where}: the console is ${s.state === 'silent' ? 'silent' : 'not at a prompt Rigger knows'}`,
        { port: s.link.where, state: s.state },
        [
          'Check the adapter is on the console port (TX to RX, RX to TX, GND)',
          'Power the gateway on, or press Enter in the Console terminal',
        ],
      );
    }
    if (s.state === 'garbled') {
      throw new RiggerError(
        'VALIDATION_ERROR',
        `The bytes on ${s.link.where} are garbled: the baud rate is probably wrong (${s.baud})`,
        { port: s.link.where, baud: s.baud },
        ['Try 115200, 57600, 38400 or 9600 baud in the gateway record'],
      );
    }
    return s.state;
  };

  /** Log in at the console (a shell prompt already there is used as it is). */
  const shellOn = async (g: SerialGateway, s: Session): Promise<ConsoleShell> => {
    const shell = new ConsoleShell(s.link);
    await shell.login(g.connection.user, password(g));
    s.state = 'shell';
    return shell;
  };

  /** Refuse what needs Linux while the console sits in U-Boot. */
  const needLinux = (g: SerialGateway, state: Session['state']) => {
    if (state === 'uboot' || state === 'autoboot') {
      throw new RiggerError(
        'VALIDATION_ERROR',
        `${g.name} is in U-Boot (${state === 'uboot' ? 'at its prompt' : 'counting down'}): Linux is not running`,
        { gateway: g.name, state },
        [
          'Let it boot (reset it from the Console page), or',
          'use what works at U-Boot: switch slot, flash a slot, boot the recovery system',
        ],
      );
    }
  };

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
        const shell = await shellOn(g, s);
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
        return shellOn(g, s);
      });
      return {
        kind: 'console',
        get target() {
          return s.link.where;
        },
        get closed() {
          return s.link.isClosed;
        },
        exec: (command, options) => d.consoles.drive(s, () => shell.exec(command, options)),
        // The port stays open for the terminal; closing the console closes it.
        close: async () => undefined,
      };
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
        const shell = await shellOn(g, s);
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
      return { ...d.consoles.flash(s.id, imageId, target, allowUnsigned), slot: target };
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
