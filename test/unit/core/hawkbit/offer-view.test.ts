import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignmentsOf } from '../../../../src/main/core/hawkbit/assignments';
import { createHawkbitJournal } from '../../../../src/main/core/hawkbit/journal';
import { openDatabase } from '../../../../src/main/core/store/database';
import type { DdiDeploymentBase } from '../../../../src/shared/hawkbit';

const deployment = (id: string, download: 'forced' | 'skip' = 'forced'): DdiDeploymentBase => ({
  id,
  deployment: {
    download,
    update: 'forced',
    chunks: [{ part: 'os', name: 'rootfs', version: '5.0.5', artifacts: [] }],
  },
});
const AT = '2026-11-19T17:00:00.000Z';

function journal() {
  const j = createHawkbitJournal(openDatabase(mkdtempSync(join(tmpdir(), 'rigger-hbo-'))));
  const library = new Map([['img-ok', { id: 'img-ok', version: '5.0.5', signature: 'verified' }]]);
  const view = (id: string) =>
    assignmentsOf(j, 'crane-7', { imageOf: (i) => library.get(i) ?? null }).find(
      (a) => a.action_id === id,
    )!;
  return { j, view };
}

describe('a hawkBit action offered at the crane, or why not', () => {
  it('offers a downloaded action whose artifact is a verified image of the library', () => {
    const { j, view } = journal();
    j.saveAction('ctl-7', 'crane-7', deployment('1'), AT);
    j.setState('ctl-7', '1', 'downloaded', { files: ['/d/1/0/b.tar'] });
    j.setImages('ctl-7', '1', ['img-ok'], null);
    expect(view('1')).toMatchObject({
      offered: true,
      problem: null,
      image: { id: 'img-ok' },
      rollout: null,
    });
  });

  it('says an artifact not downloaded yet (sync broke off, or hawkBit says skip) needs a sync', () => {
    const { j, view } = journal();
    j.saveAction('ctl-7', 'crane-7', deployment('2'), AT);
    j.saveAction('ctl-7', 'crane-7', deployment('3', 'skip'), AT);
    expect(view('2')).toMatchObject({ offered: false, image: null });
    expect(view('2').problem).toMatch(
      /not in the library: the sync did not finish downloading it\. Sync with hawkBit again/,
    );
    expect(view('3').problem).toMatch(/does not want it downloaded yet \(download: skip\)/);
  });

  it('names the audited way for an artifact the library refused', () => {
    const { j, view } = journal();
    j.saveAction('ctl-7', 'crane-7', deployment('4'), AT);
    j.setState('ctl-7', '4', 'downloaded', { files: ['/d/4/0/rootfs.img'] });
    j.setImages('ctl-7', '4', [], 'rootfs.img: a loose image has no signature');
    expect(view('4').offered).toBe(false);
    expect(view('4').problem).toContain(
      'rigger images import /d/4/0/rootfs.img --unsigned --version 5.0.5, then rigger flash crane-7 --image ID --allow-unsigned',
    );
  });

  it('does not offer what hawkBit wants skipped, and notes a closed window of hawkBit', () => {
    const { j, view } = journal();
    const skip = deployment('6');
    skip.deployment.update = 'skip';
    const closed = deployment('7');
    closed.deployment.maintenanceWindow = 'unavailable';
    for (const d of [skip, closed]) {
      j.saveAction('ctl-7', 'crane-7', d, AT);
      j.setState('ctl-7', d.id, 'downloaded');
      j.setImages('ctl-7', d.id, ['img-ok'], null);
    }
    expect(view('6')).toMatchObject({ offered: false });
    expect(view('6').problem).toMatch(/does not want it installed yet \(update: skip\)/);
    expect(view('7')).toMatchObject({ offered: true });
    expect(view('7').problem).toMatch(/maintenance window was closed at the sync/);
  });

  it('never offers a canceled action', () => {
    const { j, view } = journal();
    j.saveAction('ctl-7', 'crane-7', deployment('5'), AT);
    j.setImages('ctl-7', '5', ['img-ok'], null);
    j.markCancelRequested('ctl-7', '5', AT);
    j.setState('ctl-7', '5', 'canceled');
    expect(view('5')).toMatchObject({ offered: false, state: 'canceled', cancel_requested: true });
    expect(view('5').problem).toBe(
      'hawkBit canceled this action: it is not offered (the next sync answers it)',
    );
  });
});
