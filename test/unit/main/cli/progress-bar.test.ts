import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalBar, type BarStream } from '../../../../src/main/cli/progress-bar';

/** A stand-in terminal (named as such): a stream that says it is a TTY and keeps what it gets. */
function fakeTerminal(isTTY: boolean) {
  const stream = new PassThrough() as unknown as BarStream & PassThrough;
  Object.assign(stream, { isTTY, columns: 120 });
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { stream, text: () => text };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('terminalBar', () => {
  it('draws bytes, speed and ETA, ends its line, and draws nothing after done', async () => {
    const term = fakeTerminal(true);
    const bar = terminalBar('Flashing', term.stream);
    bar.add(512 * 1024, 2 * 1024 * 1024);
    bar.add(512 * 1024);
    bar.done();
    await settle(10);
    const out = term.text();
    expect(out).toMatch(/Flashing \[[#.]{30}\]/);
    expect(out).toMatch(/\d+(\.\d+)? ?[KM]i?B at \d+(\.\d+)? ?[KMG]?i?B\/s/);
    expect(out).toMatch(/\/s, ETA (\d\d:\d\d:\d\d|--:--:--)/);
    expect(out).toContain(' 50% ');
    expect(out).toContain('\n');
    // cli-progress redraws on a timer while a bar runs: after done nothing may be drawn again.
    await settle(300);
    bar.add(1024);
    bar.done();
    await settle(10);
    expect(term.text()).toBe(out);
  });

  it('writes nothing at all when the stream is not a terminal', async () => {
    const term = fakeTerminal(false);
    const bar = terminalBar('Importing', term.stream);
    bar.add(100, 200);
    bar.done();
    await settle(10);
    expect(term.text()).toBe('');
  });

  it('a bar that saw no bytes leaves the terminal untouched', async () => {
    const term = fakeTerminal(true);
    terminalBar('Idle', term.stream).done();
    await settle(10);
    expect(term.text()).toBe('');
  });
});
