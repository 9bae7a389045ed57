import { describe, expect, it } from 'vitest';
import { actionsBlocked, nextStep } from '../../../../../src/renderer/src/pages/gateways/next-step';
import type { RiggerErrorData } from '../../../../../src/shared/errors';
import { sampleStatus } from '../../fake-api-client';
import { sampleOffer } from '../../ota-samples';

const err = (code: RiggerErrorData['code']): RiggerErrorData => ({
  error: true,
  code,
  message: 'x',
  details: {},
  suggested_actions: [],
});

describe('the overview says what to do next', () => {
  it('names the newest image the library holds for the gateway, with Update', () => {
    const step = nextStep('crane-7', sampleStatus(), null, [sampleOffer()]);
    expect(step).toEqual({
      text: 'v5.0.5 is in the library for crane-7:',
      action: { label: 'Update', area: 'updates' },
      tone: 'info',
    });
    expect(nextStep('crane-7', sampleStatus(), null, [])?.text).toMatch(/runs the newest image/);
    expect(nextStep('crane-7', sampleStatus(), null, undefined)).toBeNull();
  });

  it('an unreachable gateway: actions say why they cannot work, and the console is next', () => {
    const down = err('HOST_UNREACHABLE');
    expect(actionsBlocked('crane-7', down)).toBe(
      'crane-7 cannot be reached: every action needs its SSH link.',
    );
    expect(nextStep('crane-7', sampleStatus(), down, [sampleOffer()])).toMatchObject({
      action: { label: 'Open Console', area: 'console' },
      tone: 'warn',
    });
    expect(actionsBlocked('crane-7', err('AUTH_FAILED'))).toMatch(
      /refused the login: fix it with Edit/,
    );
    expect(actionsBlocked('crane-7', null)).toBeNull();
  });
});
