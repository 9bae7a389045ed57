import { describe, expect, it } from 'vitest';
import { importProgress } from '../../../../src/main/core/backup-places/import/uploads';
import type { BackupUpdate } from '../../../../src/shared/backup';
import { backupUpdateSchema } from '../../../../src/shared/backup';

describe('import progress', () => {
  it('says bytes, speed and ETA while the file arrives, at most every 250 ms, then its steps', () => {
    let t = 1_000_000;
    const sent: BackupUpdate[] = [];
    const p = importProgress(
      'IMPORT-1',
      (m) => sent.push(m),
      () => t,
    );
    t += 1000;
    p.received(10_000_000, 40_000_000);
    t += 100;
    p.received(11_000_000, 40_000_000); // too soon: not sent
    t += 1000;
    p.received(40_000_000, 40_000_000); // the end is always sent
    p.step(90, 'importing_data');
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatchObject({
      type: 'import_progress',
      import_id: 'IMPORT-1',
      progress: 20,
      current_step: 'receiving_file',
      bytes_received: 10_000_000,
      bytes_total: 40_000_000,
      speed: '10MB/s',
      eta: '00:00:03',
    });
    expect(sent[1]).toMatchObject({ progress: 80, eta: '00:00:00', bytes_received: 40_000_000 });
    expect(sent[2]).toMatchObject({ progress: 90, current_step: 'importing_data' });
    for (const m of sent) expect(backupUpdateSchema.parse(m)).toEqual(m);
  });
});
