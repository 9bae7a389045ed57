import { describe, expect, it } from 'vitest';
import { nextSteps } from '../../../../src/renderer/src/components/next-steps';
import { statusLook } from '../../../../src/renderer/src/components/status-look';

const error = (code: 'HOST_UNREACHABLE' | 'OTA_001', steps: string[] = []) => ({
  error: true as const,
  code,
  message: 'm',
  details: {},
  suggested_actions: steps,
});

describe('errors say what to do', () => {
  it("uses the error's own next steps first", () => {
    expect(nextSteps(error('HOST_UNREACHABLE', ['Do this']))).toEqual(['Do this']);
  });
  it('falls back to network and serial console steps for an unreachable gateway', () => {
    const steps = nextSteps(error('HOST_UNREACHABLE'));
    expect(steps.join(' ')).toMatch(/network/);
    expect(steps.join(' ')).toMatch(/serial console/);
    expect(nextSteps(error('OTA_001'))).toEqual([]);
  });
});

describe('status words', () => {
  it('pair every status with an icon and a tone', () => {
    expect(statusLook('healthy')).toEqual({ icon: 'check', tone: 'ok' });
    expect(statusLook('unbootable').tone).toBe('bad');
    expect(statusLook('trying').tone).toBe('warn');
    expect(statusLook('something new')).toEqual({ icon: 'ring', tone: 'muted' });
    const words = ['healthy', 'unhealthy', 'trying', 'ready', 'unbootable', 'unknown', 'offline'];
    for (const s of words) expect(statusLook(s)).not.toEqual(statusLook('something new'));
  });
});
