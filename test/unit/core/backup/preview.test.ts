import { describe, expect, it } from 'vitest';
import {
  durationText,
  recoveryPreview,
  type RecoveryDiff,
} from '../../../../src/main/core/backup/preview';
import { recoveryPreviewSchema } from '../../../../src/shared/backup';

const clean = { files_differ: 0, files_missing: 0, files_extra: 0 };

describe('the recovery preview', () => {
  it('estimates from the measured rates, with the system rewrite and its restart', () => {
    const diff: RecoveryDiff = {
      components: {
        data: { paths: ['/data'], ...clean, files_differ: 3, bytes_to_write: 60e6, rate: 2e6 },
        config: { paths: ['/etc'], ...clean, bytes_to_write: 1e6, rate: 1e6 },
      },
      system: { rewrite: true, bytes: 240e6 },
      signature_valid: true,
      verified: true,
    };
    const p = recoveryPreviewSchema.parse(
      recoveryPreview({ id: 'b1', name: 'nightly' }, 'full', diff, {
        snapshotFirst: true,
        servicesCommands: true,
        systemRate: 4e6,
        rebootSeconds: 60,
      }),
    );
    // 60 MB at 2 MB/s + 240 MB at 4 MB/s + a 60 s reboot = 150 s.
    expect(p.impact_analysis).toEqual({
      components_affected: ['system', 'data'],
      estimated_downtime: '3 minutes',
      restart_required: true,
      data_loss_risk: 'low',
      pre_recovery_actions: ['stop_services', 'create_snapshot'],
      post_recovery_actions: ['verify_integrity', 'reboot', 'restart_services'],
    });
    expect(p.warnings).toContain(
      'The system slot will be rewritten and the gateway will restart on it',
    );
    expect(p.recommendations).not.toContain('Verify backup integrity before proceeding');
  });

  it('calls an unverified or unsigned backup a high risk and says so', () => {
    const diff: RecoveryDiff = {
      components: {
        data: { paths: ['/data'], ...clean, files_missing: 1, bytes_to_write: 1, rate: null },
      },
      system: null,
      signature_valid: false,
      verified: false,
    };
    const p = recoveryPreview({ id: 'b', name: 'b' }, 'data', diff, {
      snapshotFirst: false,
      servicesCommands: false,
    });
    expect(p.impact_analysis.data_loss_risk).toBe('high');
    expect(p.warnings).toContain("The backup's signature does not verify with this site's key");
    expect(p.recommendations).toContain('Verify backup integrity before proceeding');
    expect(durationText(5)).toBe('5 seconds');
    expect(durationText(61)).toBe('2 minutes');
  });
});
