import { describe, expect, it } from 'vitest';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { useConsole } from '../../../../src/renderer/src/stores/console';
import { FakeApiClient } from '../fake-api-client';

describe('console store', () => {
  it('sends keystrokes one write at a time, in order, however fast they are typed', async () => {
    const fake = new FakeApiClient();
    let inFlight = 0;
    let most = 0;
    const sent: string[] = [];
    fake.answer('console.write', async (input) => {
      inFlight++;
      most = Math.max(most, inFlight);
      // Slow answers: a parallel sender would have its later writes overtake earlier ones.
      await new Promise((r) => setTimeout(r, 20));
      sent.push((input as { data: string }).data);
      inFlight--;
      return { written: (input as { data: string }).data.length };
    });
    setClient(fake);
    useConsole.setState({
      session: {
        session_id: 'console-1',
        path: '/dev/ttyUSB0',
        baud: 115200,
        state: 'uboot',
        capture_path: '/tmp/c.log',
        gateway: null,
        busy: false,
      },
      busy: null,
    });
    for (const ch of 'echo hi\r') useConsole.getState().type(ch);
    await new Promise((r) => setTimeout(r, 200));
    expect(most).toBe(1);
    expect(sent.join('')).toBe('echo hi\r');
  });

  it('holds typing back while an action drives the console', () => {
    const fake = new FakeApiClient();
    setClient(fake);
    useConsole.setState({ busy: 'printenv' });
    useConsole.getState().type('x');
    expect(fake.calls).toHaveLength(0);
  });
});
