import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPluginService, type PluginService } from '../../../src/main/core/plugins/service';
import {
  otaProgressSchema,
  otaStartResponseSchema,
  type TerminalLine,
} from '../../../src/shared/plugins';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import {
  makeSigningKey,
  pluginZip,
  writeZip,
  type PluginSpec,
} from '../../unit/core/plugins/plugin-zip';
import { pluginDeps } from './setup';

const key = makeSigningKey();
let n = 0;
const zip = async (spec: PluginSpec) =>
  writeZip(
    join(tmpdir(), `rigger-it-plugin-${process.pid}-${n++}.zip`),
    await pluginZip({ key: key.privateKey, ...spec }),
  );

describe('plugin install on the test gateway (contract tools only)', () => {
  let sim: GatewaySim;
  let svc: PluginService;
  let ctx: ReturnType<typeof pluginDeps>;
  const all: TerminalLine[] = [];
  const base = () => join(sim.plugins!.profile.dir, 'acs-zoning');
  const link = (l: string) => readlinkSync(join(base(), l));

  beforeAll(async () => {
    sim = await startGatewaySim({ contractToolsOnly: true, plugins: {} });
    ctx = pluginDeps(sim, key.anchors);
    svc = createPluginService(ctx.deps);
    svc.lines.on('line', (l) => all.push(l));
  });
  afterAll(async () => {
    for (const s of ctx?.sessions ?? []) await s.close();
    await sim?.stop();
  });

  it('installs, proves with sha256sum, activates by symlink and restarts', async () => {
    const start = svc.install('gw', await zip({ version: '1.0.0' }));
    expect(otaStartResponseSchema.parse(start)).toMatchObject({ status: 'pending', progress: 0 });
    const lines: string[] = [];
    const reading = (async () => {
      for await (const l of svc.terminal(start.update_id)!) lines.push(l.line);
    })();
    const end = await svc.wait(start.update_id);
    await reading;
    expect(otaProgressSchema.parse(end)).toEqual({
      success: true,
      status: 'complete',
      progress: 100,
      message: 'Operation completed successfully',
    });
    expect(link('current')).toBe('1.0.0');
    expect(statSync(join(base(), '1.0.0', 'bin', 'zoning')).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(base(), '1.0.0', 'bin', 'zoning'), 'utf8')).toContain('zoning 1.0.0');
    expect(lines).toContain('Starting plugin acs-zoning 1.0.0');
    expect(lines.some((l) => /^[0-9a-f]{64}\s+bin\/zoning$/.test(l))).toBe(true);
    expect(all.filter((l) => l.update_id === start.update_id).map((l) => l.line)).toEqual(lines);
    expect(sim.plugins!.restarts()).toEqual(['acs-zoning 1.0.0 ok']);
  });

  it('keeps the previous version and lists both', async () => {
    const s = svc.install('gw', await zip({ version: '2.0.0' }));
    expect((await svc.wait(s.update_id)).status).toBe('complete');
    expect([link('current'), link('previous')]).toEqual(['2.0.0', '1.0.0']);
    expect(await svc.list('gw')).toEqual([
      {
        name: 'acs-zoning',
        active_version: '2.0.0',
        previous_version: '1.0.0',
        models: ['Univa-GW-Pro'],
        fits_model: true,
        state: 'active',
      },
    ]);
  });

  it('rolls a plugin whose restart fails back by itself, and says so', async () => {
    sim.plugins!.failRestart('acs-zoning', '3.0.0');
    const s = svc.install('gw', await zip({ version: '3.0.0' }));
    const end = await svc.wait(s.update_id);
    expect(end).toMatchObject({ success: false, status: 'error' });
    expect(end.error).toMatch(
      /rolled back automatically.*exit 1.*rolled back to 2\.0\.0, which is running/,
    );
    expect([link('current'), link('previous')]).toEqual(['2.0.0', '1.0.0']);
    expect(existsSync(join(base(), '3.0.0'))).toBe(false);
    expect(sim.plugins!.restarts().slice(-2)).toEqual([
      'acs-zoning 3.0.0 failed',
      'acs-zoning 2.0.0 ok',
    ]);
    expect(
      svc
        .terminal(s.update_id)!
        .lines()
        .map((l) => l.line),
    ).toContain('Job for plugin acs-zoning failed');
  });

  it('rolls back in one step to the previous version', async () => {
    const s = svc.rollback('gw', 'acs-zoning');
    expect((await svc.wait(s.update_id)).status).toBe('complete');
    expect([link('current'), link('previous')]).toEqual(['1.0.0', '2.0.0']);
    expect(sim.plugins!.restarts().at(-1)).toBe('acs-zoning 1.0.0 ok');
  });

  it('refuses a plugin for another model and a hostile ZIP, writing nothing', async () => {
    const before = readdirSync(base()).sort();
    const other = svc.install('gw', await zip({ version: '4.0.0', models: ['Other-GW'] }));
    expect((await svc.wait(other.update_id)).error).toMatch(
      /made for Other-GW, not for Univa-GW-Pro/,
    );
    const hostile = svc.install(
      'gw',
      await zip({ version: '4.0.1', extra: [{ name: 'x', data: Buffer.from('x') }] }),
    );
    expect((await svc.wait(hostile.update_id)).error).toMatch(/"x" is not listed/);
    expect(readdirSync(base()).sort()).toEqual(before);
  });

  it('runs one operation per gateway at a time', async () => {
    const s = svc.install('gw', await zip({ version: '5.0.0' }));
    expect(() => svc.rollback('gw', 'acs-zoning')).toThrow(/already running/);
    await svc.wait(s.update_id);
  });

  it('puts a configure ZIP into config_dir, the old set kept beside it', async () => {
    const cfg = sim.plugins!.profile.config_dir;
    const files = { 'ota.conf': Buffer.from('server=offline\n') };
    const s = svc.configure('gw', await zip({ name: 'ota-config', version: '1', files }));
    expect((await svc.wait(s.update_id)).status).toBe('complete');
    expect(readFileSync(join(cfg, 'ota.conf'), 'utf8')).toBe('server=offline\n');
    expect(existsSync(`${cfg}.prev`)).toBe(true);
    expect(existsSync(`${cfg}.stage`)).toBe(false);
  });

  it('answers not_found for an unknown update id', () => {
    expect(svc.progress('nope')).toMatchObject({ status: 'not_found' });
  });
});

describe('plugin install on a full plugin folder', () => {
  let sim: GatewaySim;
  let ctx: ReturnType<typeof pluginDeps>;
  beforeAll(async () => {
    sim = await startGatewaySim({ plugins: { capacity: 256 * 1024, minFreeBytes: 200 * 1024 } });
    ctx = pluginDeps(sim, key.anchors);
  });
  afterAll(async () => {
    for (const s of ctx?.sessions ?? []) await s.close();
    await sim?.stop();
  });

  it('refuses with OTA_003 and writes nothing', async () => {
    const svc = createPluginService(ctx.deps);
    const big = { 'data/table.bin': Buffer.alloc(100 * 1024, 7) };
    const s = svc.install('gw', await zip({ files: big }));
    expect((await svc.wait(s.update_id)).error).toMatch(/needs \d+ plus 204800 to spare/);
    expect(ctx.audit.at(-1)).toMatchObject({ outcome: 'failed', details: { code: 'OTA_003' } });
    expect(readdirSync(sim.plugins!.profile.dir)).toEqual([]);
  });
});
