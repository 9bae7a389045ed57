import type { At } from './layout';
import { PART } from './boot-env';
import type { SimOptions, Slot } from './types';

/** The profile Rigger is given for the test gateway (docs/profiles.md). */
export function simProfile(
  p: At,
  opts: SimOptions,
  d: { dev: Record<Slot, string>; cfg: string; slotSize: number; extra: Record<string, unknown> },
): Record<string, unknown> {
  const slot = (s: Slot) => ({
    device: d.dev[s],
    size_bytes: d.slotSize,
    cmdline_match: `root=${d.dev[s]}`,
    partition: PART[s],
  });
  return {
    profile: 1,
    name: 'univa-gw-sim',
    model: 'Univa-GW-Pro',
    identity_file: p('etc', 'gateway-release'),
    os_release_file: p('etc', 'os-release'),
    cmdline_file: p('proc', 'cmdline'),
    boot_id_file: p('proc', 'boot_id'),
    slots: { A: slot('A'), B: slot('B') },
    recovery: { device: p('dev', 'mmcblk0p1') },
    status_file: p('data', 'rigger', 'slots.json'),
    data_paths: [p('data'), p('etc')],
    log_paths: [p('var', 'log')],
    bootloader: {
      fw_env_config: d.cfg,
      scheme: opts.scheme ?? 'bootcount',
      ...(opts.vars ? { vars: opts.vars } : {}),
      attempts: opts.attempts ?? 3,
    },
    health_check: `test -e ${p('run', 'gateway', 'healthy')}`,
    safety_command: `cat ${p('run', 'gateway', 'safety.json')}`,
    factory_reset_command: p('sbin', 'gateway-factory-reset'),
    reboot_command: p('sbin', 'reboot'),
    console: {
      baud: 115200,
      uboot_prompt: '=> ',
      block_command: 'mmc',
      block_device: '0',
      block_size: 512,
      slot_start_block: { A: 264192, B: 17041408 },
      load_address: '${loadaddr}',
      max_load_bytes: 67108864,
    },
    ...d.extra,
  };
}
