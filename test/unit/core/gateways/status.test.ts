import { describe, expect, it } from 'vitest';
import { gatewayStatusSchema } from '../../../../src/shared/status';
import type { Facts } from '../../../../src/main/core/gateways/facts';
import { assembleStatus, bootedSlotFromCmdline } from '../../../../src/main/core/gateways/status';
import { univaProfile } from '../../../helpers/profile';

const ok = (out: string) => ({ rc: 0, out });
const conn = { type: 'ssh' as const, target: 'root@gw:22' };

function facts(over: Partial<Facts> = {}): Facts {
  return {
    identity: ok(
      'GATEWAY_ID=univa-gw-01\nGATEWAY_NAME=Univa-GW-01\nMODEL=Univa-GW-Pro\nSERIAL_NUMBER=GW2025-1190021\nHARDWARE_REVISION=RevB\nBOOTLOADER="U-Boot 2024.01"',
    ),
    os_release: ok('NAME="Univa OS"\nVERSION_ID=v5.0.4'),
    cmdline: ok('console=ttyS0 root=/dev/mmcblk0p2 rootwait'),
    kernel: ok('6.1.33-LTS\n'),
    uptime: ok('1653120.55 3000000.00'),
    env: ok('boot_slot=A\nupgrade_available=0\nbootcount=0\nbootlimit=3\naltbootcmd=run alt'),
    status_file: ok(
      JSON.stringify({
        A: {
          version: 'v5.0.4',
          sha256: 'aa',
          size: 3435973837,
          installed_at: '2025-03-10T14:32:11Z',
          image_id: 'x',
        },
        B: {
          version: 'v5.0.3',
          sha256: 'bb',
          size: 3006477107,
          installed_at: '2025-02-01T10:00:00Z',
          image_id: 'y',
        },
      }),
    ),
    health: ok(''),
    size_A: ok('8589934592'),
    size_B: ok('8589934592'),
    disk: ok(
      'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/mmcblk0p4 1000 402 598 40% /data',
    ),
    meminfo: ok('MemTotal:        1000 kB\nMemFree:          100 kB\nMemAvailable:     347 kB'),
    cpu: ok('cpu  100 0 100 800 0 0 0 0 0 0\ncpu  110 0 115 875 0 0 0 0 0 0'),
    thermal: ok('42100'),
    route: ok('Iface\tDestination\tGateway\neth0\t00000000\t0101A8C0'),
    ...over,
  };
}

describe('status assembly', () => {
  const p = univaProfile();

  it('builds the seed shape from a healthy gateway', () => {
    const s = assembleStatus(facts(), p, conn, new Date('2025-03-15T10:00:00Z'));
    expect(gatewayStatusSchema.parse(s)).toEqual(s);
    expect(s.gateway).toEqual({
      id: 'univa-gw-01',
      name: 'Univa-GW-01',
      model: 'Univa-GW-Pro',
      os_version: 'v5.0.4',
      kernel: '6.1.33-LTS',
      uptime: '19d 3h 12m',
      bootloader: 'U-Boot 2024.01',
      last_ota: '2025-03-10 14:32:11',
      serial_number: 'GW2025-1190021',
      hardware_revision: 'RevB',
    });
    expect(s.partitions.active).toEqual({
      id: 'A',
      version: 'v5.0.4',
      status: 'healthy',
      boot_count: 0,
      next_boot: true,
      size: '8.59GB',
      used: '3.44GB',
      health: 'good',
    });
    expect(s.partitions.inactive).toMatchObject({
      id: 'B',
      version: 'v5.0.3',
      status: 'ready',
      next_boot: false,
      size: '8.59GB',
      used: '3.01GB',
      health: null,
    });
    expect(s.partitions).toMatchObject({
      auto_rollback: true,
      rollback_retries: 3,
      rollback_count: 0,
    });
    expect(s.system).toEqual({
      cpu_usage: 25,
      memory_usage: 65.3,
      disk_usage: 40.2,
      temperature: 42.1,
      network_status: 'connected',
    });
    expect(s.warnings).toEqual([]);
    expect(s.boot?.consistent).toBe(true);
  });

  it('reports slot B booted', () => {
    const s = assembleStatus(
      facts({
        cmdline: ok('root=/dev/mmcblk0p3'),
        os_release: ok('VERSION_ID=v5.0.3'),
        env: ok('boot_slot=B\nupgrade_available=0\nbootcount=0\nbootlimit=3'),
      }),
      p,
      conn,
    );
    expect(s.partitions.active.id).toBe('B');
    expect(s.partitions.inactive).toMatchObject({ id: 'A', version: 'v5.0.4' });
  });

  it('leaves null what the gateway cannot tell', () => {
    const missing = { rc: 1, out: '' };
    const s = assembleStatus(
      facts({
        thermal: missing,
        status_file: missing,
        identity: missing,
        cpu: missing,
        route: undefined,
      }),
      p,
      conn,
    );
    expect(s.system.temperature).toBeNull();
    expect(s.system.cpu_usage).toBeNull();
    expect(s.system.network_status).toBeNull();
    expect(s.partitions.inactive.version).toBeNull();
    expect(s.partitions.inactive.status).toBe('unknown');
    expect(s.gateway.serial_number).toBeNull();
    expect(s.gateway.last_ota).toBeNull();
    expect(s.warnings.join(' ')).toContain('identity file');
  });

  it('warns (not throws) when the cmdline matches no slot, and refuses writes', () => {
    const s = assembleStatus(facts({ cmdline: ok('root=/dev/sda1') }), p, conn);
    expect(s.partitions.active.id).toBeNull();
    expect(s.boot?.consistent).toBe(false);
    expect(s.warnings[0]).toMatch(/matches neither slot/);
  });

  it('warns when the environment disagrees with the cmdline', () => {
    const s = assembleStatus(
      facts({ env: ok('boot_slot=B\nupgrade_available=0\nbootcount=0\nbootlimit=3') }),
      p,
      conn,
    );
    expect(s.boot?.consistent).toBe(false);
    expect(s.warnings.join(' ')).toMatch(/selects slot B but slot A is booted/);
  });

  it('shows an uncommitted trial and an unhealthy slot', () => {
    const trying = assembleStatus(
      facts({
        cmdline: ok('root=/dev/mmcblk0p3'),
        env: ok('boot_slot=B\nupgrade_available=1\nbootcount=1\nbootlimit=3\naltbootcmd=x'),
      }),
      p,
      conn,
    );
    expect(trying.partitions.active).toMatchObject({ id: 'B', status: 'trying', boot_count: 1 });
    expect(trying.boot?.slots.B.attempts_left).toBe(2);
    const sick = assembleStatus(facts({ health: { rc: 1, out: '' } }), p, conn);
    expect(sick.partitions.active).toMatchObject({ status: 'unhealthy', health: 'bad' });
  });

  it('warns about a slot device missing on the gateway', () => {
    const s = assembleStatus(facts({ size_B: { rc: 3, out: 'missing' } }), p, conn);
    expect(s.partitions.inactive.size).toBeNull();
    expect(s.boot?.consistent).toBe(false);
    expect(s.warnings.join(' ')).toContain('/dev/mmcblk0p3 does not exist');
  });

  it('warns when the environment cannot be read, or the status file is broken', () => {
    const s = assembleStatus(facts({ env: { rc: 1, out: '' }, status_file: ok('{oops') }), p, conn);
    expect(s.boot).toBeNull();
    expect(s.partitions.auto_rollback).toBeNull();
    expect(s.warnings.join(' ')).toMatch(/environment cannot be read.*not valid JSON/);
  });

  it('matches cmdline words whole, not as prefixes', () => {
    expect(bootedSlotFromCmdline('root=/dev/mmcblk0p20', p).slot).toBeNull();
  });
});
