import { describe, expect, it } from 'vitest';
import type { Job } from '../../../../src/shared/jobs';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { flashView, useConsoleFlash } from '../../../../src/renderer/src/stores/console-flash';
import { FakeApiClient } from '../fake-api-client';

const job = (over: Partial<Job>): Job => ({
  id: 'job-1',
  type: 'update',
  subtype: 'console_flash',
  status: 'downloading',
  progress: 0,
  started: '2026-12-01 18:00:00',
  estimated_completion: null,
  user: 'local',
  cancelable: true,
  gateway: 'crane-7',
  current_operation: 'writing_over_console',
  resumable: false,
  error: null,
  ...over,
});

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the Console page flash store (FakeApiClient: the core answers as the test says)', () => {
  it('asks the way the user chose, follows the job by its events, and shows its path and chunks', async () => {
    const fake = new FakeApiClient();
    let status: Job = job({});
    fake.answer('console.flash', () => ({ job_id: 'job-1' })).answer('jobs.get', () => status);
    setClient(fake);
    await useConsoleFlash.getState().start({
      sessionId: 'console-1',
      imageId: 'img-1',
      slot: 'B',
      via: 'tftp',
      tftpPort: 69,
      allowUnsigned: true,
    });
    expect(fake.calls[0]).toEqual({
      op: 'console.flash',
      input: {
        session_id: 'console-1',
        image_id: 'img-1',
        slot: 'B',
        allow_unsigned: true,
        via: 'tftp',
        tftp_port: 69,
      },
    });
    fake.emit({
      type: 'progress_update',
      job_id: 'job-1',
      progress: 40,
      current_operation: 'writing_over_console',
      eta: '00:00:12',
      details: { via: 'tftp', chunk: 2, chunks: 3, resumed_from_chunk: 0, bytes_per_second: 1e6 },
    });
    const { job: j, progress } = useConsoleFlash.getState();
    expect(flashView(j, progress)).toMatchObject({ via: 'tftp', chunk: 2, chunks: 3 });
    // A new status has the job read once: its reason for the path comes with it.
    status = job({ details: { via: 'tftp', via_reason: 'TFTP: the gateway reaches the laptop' } });
    fake.emit({
      type: 'status_change',
      job_id: 'job-1',
      system_status: 'downloading',
      message: 'x',
      severity: 'info',
      timestamp: '2026-12-01T18:00:00Z',
      gateway: 'crane-7',
    });
    await tick();
    expect(flashView(useConsoleFlash.getState().job, null).viaReason).toMatch(/^TFTP: /);
    useConsoleFlash.getState().clear();
  });

  it('automatic asks no way; a stopped flash shows its resume point and resumes by the job', async () => {
    const fake = new FakeApiClient();
    fake
      .answer('console.flash', () => ({ job_id: 'job-2' }))
      .answer('jobs.get', () =>
        job({
          id: 'job-2',
          status: 'failed',
          resumable: true,
          error: 'The serial console closed',
          details: { via: 'ymodem', console_chunks_done: 2 },
        }),
      )
      .answer('jobs.resume', () => job({ id: 'job-2', status: 'downloading' }));
    setClient(fake);
    await useConsoleFlash.getState().start({
      sessionId: 'console-1',
      imageId: 'img-1',
      slot: 'A',
      via: 'auto',
      tftpPort: null,
      allowUnsigned: false,
    });
    expect(fake.calls[0]!.input).not.toHaveProperty('via');
    expect(fake.calls[0]!.input).not.toHaveProperty('tftp_port');
    expect(flashView(useConsoleFlash.getState().job, null).chunksDone).toBe(2);
    await useConsoleFlash.getState().resume();
    expect(fake.ops()).toContain('jobs.resume');
    expect(useConsoleFlash.getState().job?.status).toBe('downloading');
    useConsoleFlash.getState().clear();
  });
});
