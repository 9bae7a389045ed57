import { beforeEach, describe, expect, it } from 'vitest';
import { RiggerError } from '../../../../src/shared/errors';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { selectGateway, useGateways } from '../../../../src/renderer/src/stores/gateways';
import { selectSettings, useSettings } from '../../../../src/renderer/src/stores/settings';
import { selectStatus, useStatus } from '../../../../src/renderer/src/stores/status';
import { useUi } from '../../../../src/renderer/src/stores/ui';
import { wireEvents } from '../../../../src/renderer/src/stores/wire-events';
import { settingsSchema } from '../../../../src/shared/settings';
import { FakeApiClient, sampleGateway, sampleStatus } from '../fake-api-client';

const profile = {
  name: 'univa-gw-pro',
  model: 'Univa-GW-Pro',
  scheme: 'bootcount' as const,
  source: 'builtin' as const,
  path: '/p.json',
};

let fake: FakeApiClient;

beforeEach(() => {
  fake = new FakeApiClient();
  setClient(fake);
  useGateways.setState({ gateways: [], profiles: [], loaded: false, error: null });
  useStatus.setState({ byName: {} });
  useSettings.setState({ settings: null, error: null, saving: false, restartRequired: false });
  useUi.setState({ theme: 'light', appInfo: null, keyPromptDismissed: {} });
});

describe('gateways store', () => {
  it('loads the list and the profiles together', async () => {
    fake.answer('gateways.list', () => [sampleGateway()]).answer('profiles.list', () => [profile]);
    await useGateways.getState().load();
    const s = useGateways.getState();
    expect(s.loaded).toBe(true);
    expect(s.profiles).toEqual([profile]);
    expect(selectGateway('crane-7')(s)?.id).toBe(1);
    expect(selectGateway('other')(s)).toBeUndefined();
  });

  it('keeps a failed load as error data', async () => {
    fake.answer('gateways.list', () => {
      throw new RiggerError('DATA_DIR_UNWRITABLE', 'disk full');
    });
    fake.answer('profiles.list', () => []);
    await useGateways.getState().load();
    expect(useGateways.getState()).toMatchObject({
      loaded: true,
      error: { code: 'DATA_DIR_UNWRITABLE', message: 'disk full' },
    });
  });

  it('adds, then reloads; a refusal rejects for the form to show', async () => {
    fake.answer('gateways.list', () => [sampleGateway()]).answer('profiles.list', () => []);
    fake.answer('gateways.add', () => sampleGateway());
    const input = {
      name: 'crane-7',
      profile: 'p',
      connection: {
        type: 'ssh' as const,
        host: 'h',
        port: 22,
        user: 'root',
        auth: { method: 'key' as const, key_file: '/k' },
      },
    };
    await useGateways.getState().add(input);
    expect(fake.ops()).toEqual(['gateways.add', 'gateways.list', 'profiles.list']);
    fake.answer('gateways.add', () => {
      throw new RiggerError('ALREADY_EXISTS', 'taken');
    });
    await expect(useGateways.getState().add(input)).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
  });

  it('forgets the status of a removed gateway', async () => {
    fake.answer('gateways.list', () => []).answer('profiles.list', () => []);
    fake.answer('gateways.remove', () => ({ removed: true as const }));
    useStatus.setState({
      byName: { 'crane-7': { status: sampleStatus(), loading: false, error: null } },
    });
    await useGateways.getState().remove('crane-7');
    expect(fake.calls[0]).toEqual({ op: 'gateways.remove', input: { name: 'crane-7' } });
    expect(useStatus.getState().byName['crane-7']).toBeUndefined();
  });

  it('reloads when the core says the gateways changed', async () => {
    fake.answer('gateways.list', () => [sampleGateway()]).answer('profiles.list', () => []);
    const off = wireEvents(fake);
    fake.emit({ type: 'gateways_changed' });
    await new Promise((r) => setTimeout(r, 0));
    expect(useGateways.getState().gateways).toHaveLength(1);
    off();
    expect(fake.listeners('gateways_changed')).toBe(0);
  });
});

describe('status store', () => {
  it('reads a status; concurrent reads of one gateway share one call', async () => {
    fake.answer('gateways.status', () => sampleStatus());
    const a = useStatus.getState().refresh('crane-7');
    const b = useStatus.getState().refresh('crane-7');
    expect(selectStatus('crane-7')(useStatus.getState()).loading).toBe(true);
    await Promise.all([a, b]);
    expect(fake.ops()).toEqual(['gateways.status']);
    const entry = selectStatus('crane-7')(useStatus.getState());
    expect(entry).toMatchObject({ loading: false, error: null });
    expect(entry.status?.partitions.active.version).toBe('v5.0.4');
  });

  it('keeps the last good status when a refresh fails', async () => {
    fake.answer('gateways.status', () => sampleStatus());
    await useStatus.getState().refresh('crane-7');
    fake.answer('gateways.status', () => {
      throw new RiggerError('HOST_UNREACHABLE', 'no answer', {}, ['Check the cable']);
    });
    await useStatus.getState().refresh('crane-7');
    const entry = selectStatus('crane-7')(useStatus.getState());
    expect(entry.status).not.toBeNull();
    expect(entry.error).toMatchObject({
      code: 'HOST_UNREACHABLE',
      suggested_actions: ['Check the cable'],
    });
  });

  it('trusts the confirmed key, then reads the status again', async () => {
    fake.answer('gateways.status', () => {
      throw new RiggerError('HOST_KEY_UNKNOWN', 'first', { offered_fingerprint: 'SHA256:abc' });
    });
    await useStatus.getState().refresh('crane-7');
    expect(selectStatus('crane-7')(useStatus.getState()).error?.code).toBe('HOST_KEY_UNKNOWN');
    fake.answer('gateways.pinHostKey', () => sampleGateway());
    fake.answer('gateways.status', () => sampleStatus());
    await useStatus.getState().trustKey('crane-7', 'SHA256:abc');
    expect(fake.calls.slice(1)).toEqual([
      { op: 'gateways.pinHostKey', input: { name: 'crane-7', fingerprint: 'SHA256:abc' } },
      { op: 'gateways.status', input: { name: 'crane-7' } },
    ]);
    expect(selectStatus('crane-7')(useStatus.getState())).toMatchObject({ error: null });
  });

  it('does not read again when pinning is refused', async () => {
    fake.answer('gateways.pinHostKey', () => {
      throw new RiggerError('VALIDATION_ERROR', 'bad fingerprint');
    });
    await useStatus.getState().trustKey('crane-7', 'nope');
    expect(fake.ops()).toEqual(['gateways.pinHostKey']);
    expect(selectStatus('crane-7')(useStatus.getState()).error?.code).toBe('VALIDATION_ERROR');
  });
});

describe('settings and ui stores', () => {
  it('loads the settings and applies their theme', async () => {
    const doc = settingsSchema.parse({ rigger: { theme: 'dark' } });
    fake.answer('settings.get', () => doc);
    await useSettings.getState().load();
    expect(selectSettings(useSettings.getState())?.rigger.theme).toBe('dark');
    expect(useUi.getState().theme).toBe('dark');
  });

  it('saves the theme with settings.update of rigger.theme', async () => {
    fake.answer('settings.get', () => settingsSchema.parse({}));
    fake.answer('settings.update', () => ({
      status: 'updated' as const,
      message: 'ok',
      restart_required: false,
      ignored: [],
      changes: {},
    }));
    await useSettings.getState().load();
    await useSettings.getState().setTheme('dark');
    expect(fake.calls.at(-1)).toEqual({
      op: 'settings.update',
      input: { rigger: { theme: 'dark' } },
    });
    expect(useUi.getState().theme).toBe('dark');
    expect(useSettings.getState().settings?.rigger.theme).toBe('dark');
  });

  it('puts the old theme back when saving fails', async () => {
    fake.answer('settings.update', () => {
      throw new RiggerError('DATA_DIR_UNWRITABLE', 'read-only');
    });
    await useSettings.getState().setTheme('dark');
    expect(useUi.getState().theme).toBe('light');
    expect(useSettings.getState().error?.code).toBe('DATA_DIR_UNWRITABLE');
  });

  it('remembers a put-aside host key question until shown again', () => {
    useUi.getState().dismissKeyPrompt('crane-7');
    expect(useUi.getState().keyPromptDismissed).toEqual({ 'crane-7': true });
    useUi.getState().showKeyPrompt('crane-7');
    expect(useUi.getState().keyPromptDismissed).toEqual({});
  });
});
