import type { GatewayStatus } from '../../shared/status';

const show = (v: unknown, unit = ''): string =>
  v === null || v === undefined ? 'unknown' : `${String(v)}${unit}`;
const pad = (s: string, n: number) => s.padEnd(n);

/** A gateway's status as a technician reads it on a terminal. */
export function formatStatus(name: string, s: GatewayStatus): string {
  const g = s.gateway;
  const lines = [
    `${name}: ${show(g.name)} (${show(g.id)}), ${show(g.model)} ${show(g.hardware_revision)}, serial ${show(g.serial_number)}`,
    `  OS ${show(g.os_version)}, kernel ${show(g.kernel)}, ${show(g.bootloader)}, up ${show(g.uptime)}, last OTA ${show(g.last_ota)}`,
    `  via ${s.connection.type} ${s.connection.target}, scheme ${show(s.boot?.scheme)}`,
    '',
    `  ${pad('slot', 12)}${pad('version', 12)}${pad('status', 12)}${pad('health', 9)}${pad('attempts', 10)}${pad('next boot', 11)}size/used`,
  ];
  for (const [role, p] of [
    ['active', s.partitions.active],
    ['inactive', s.partitions.inactive],
  ] as const) {
    const attempts = p.id && s.boot ? s.boot.slots[p.id].attempts_left : null;
    const label = `${show(p.id)}${role === 'active' ? ' BOOTED' : ''}`;
    lines.push(
      `  ${pad(label, 12)}${pad(show(p.version), 12)}${pad(p.status, 12)}${pad(show(p.health), 9)}${pad(show(attempts), 10)}${pad(p.next_boot ? 'yes' : p.next_boot === false ? 'no' : 'unknown', 11)}${show(p.size)}/${show(p.used)}`,
    );
  }
  const sys = s.system;
  lines.push(
    '',
    `  cpu ${show(sys.cpu_usage, '%')}  memory ${show(sys.memory_usage, '%')}  disk ${show(sys.disk_usage, '%')}  temperature ${show(sys.temperature, '°C')}  network ${show(sys.network_status)}`,
    `  auto rollback ${show(s.partitions.auto_rollback)}, retries ${show(s.partitions.rollback_retries)}`,
  );
  if (s.warnings.length) lines.push('', 'WARNINGS:', ...s.warnings.map((w) => `  ! ${w}`));
  return lines.join('\n');
}
