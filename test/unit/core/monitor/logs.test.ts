import { describe, expect, it } from 'vitest';
import { assembleLogs } from '../../../../src/main/core/monitor/logs';
import {
  lineLevel,
  lineTime,
  parseLine,
  sourceOf,
} from '../../../../src/main/core/monitor/log-lines';
import { redact } from '../../../../src/main/core/monitor/redact';

describe('log lines', () => {
  it('reads ISO and syslog times, levels and sources', () => {
    expect(lineTime('2025-03-15T10:25:30Z ota[2]: INFO done', 2025).time?.toISOString()).toBe(
      '2025-03-15T10:25:30.000Z',
    );
    expect(lineTime('Mar  5 08:01:02 gw kernel: eth0 up', 2025).time?.toISOString()).toBe(
      '2025-03-05T08:01:02.000Z',
    );
    expect(lineTime('no time here', 2025).time).toBeNull();
    expect([
      lineLevel('ERROR disk'),
      lineLevel('warning: hot'),
      lineLevel('debug x'),
      lineLevel('all good'),
    ]).toEqual(['error', 'warning', 'debug', 'info']);
    expect([
      sourceOf('ota.log'),
      sourceOf('rollback'),
      sourceOf('safety-monitor'),
      sourceOf('messages'),
    ]).toEqual(['ota', 'recovery', 'safety', 'system']);
    expect(
      parseLine('2025-03-15T10:00:00Z safety-mon[9]: WARN crane moving', 'messages', 2025),
    ).toMatchObject({
      timestamp: '2025-03-15 10:00:00',
      level: 'warning',
      source: 'safety',
    });
  });
});

describe('log assembly', () => {
  const files = [
    {
      path: '/var/log/messages',
      text: '2025-03-15T10:00:00Z gateway[1]: INFO started\n2025-03-15T11:00:00Z gateway[1]: ERROR modbus timeout\nno time\n',
    },
    { path: '/var/log/ota.log', text: '2025-03-15T10:30:00Z ota[2]: WARN slow download\n' },
  ];
  const own = [
    {
      timestamp: '2025-03-15 12:00:00',
      level: 'info' as const,
      source: 'system' as const,
      message: 'Rigger: host_key.pin ok',
      details: {},
      at: Date.parse('2025-03-15T12:00:00Z'),
    },
  ];

  it('merges newest first, counts levels over everything, and cuts at the limit', () => {
    const r = assembleLogs(files, own, [], { limit: 2 });
    expect(r.total).toBe(5);
    expect(r.filtered).toBe(5);
    expect(r.levels).toEqual({ info: 3, warning: 1, error: 1, debug: 0 });
    expect(r.logs.map((l) => l.message)).toEqual([
      'Rigger: host_key.pin ok',
      'gateway[1]: ERROR modbus timeout',
    ]);
  });

  it('filters by level, source and time window', () => {
    expect(
      assembleLogs(files, own, [], { limit: 50, level: 'error' }).logs.map((l) => l.timestamp),
    ).toEqual(['2025-03-15 11:00:00']);
    expect(assembleLogs(files, own, [], { limit: 50, source: 'ota' }).filtered).toBe(1);
    const window = assembleLogs(files, own, [], {
      limit: 50,
      since: '2025-03-15 10:15:00',
      until: '2025-03-15T11:30:00Z',
    });
    expect(window.logs.map((l) => l.timestamp)).toEqual([
      '2025-03-15 11:00:00',
      '2025-03-15 10:30:00',
    ]);
  });
});

describe('redaction', () => {
  it('removes secret values and private keys, and keeps everything else', () => {
    const text = [
      'plc_address=192.0.2.10',
      'mqtt_password=hunter2',
      '  "api_key": "abc123",',
      'wifi_psk: s3cret',
      'export AUTH_TOKEN=xyz',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'AAAAbase64',
      '-----END OPENSSH PRIVATE KEY-----',
      'keyboard=us',
    ].join('\n');
    const r = redact(text);
    expect(r.count).toBe(5);
    for (const secret of ['hunter2', 'abc123', 's3cret', 'xyz', 'AAAAbase64'])
      expect(r.text).not.toContain(secret);
    expect(r.text).toContain('plc_address=192.0.2.10');
    expect(r.text).toContain('keyboard=us');
    expect(r.text).toContain('"api_key": "[REDACTED]",');
  });
});
