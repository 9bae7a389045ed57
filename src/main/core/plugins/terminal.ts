import { EventEmitter } from 'node:events';
import type { TerminalLine } from '../../../shared/plugins';

const MAX_LINES = 5000;
const MAX_LINE = 4096;

/**
 * The terminal output of one operation, as lines: what the gateway printed while staging,
 * proving, activating and restarting, and Rigger's own notes between the steps. Lines are kept
 * (bounded) so a listener that comes late still sees the whole run, and emitted as they come.
 */
export class Terminal extends EventEmitter<{ line: [TerminalLine]; end: [] }> {
  private readonly kept: TerminalLine[] = [];
  private readonly partial = { stdout: '', stderr: '' };
  private ended = false;

  constructor(readonly updateId: string) {
    super();
  }

  /** Output of a gateway command; a line is emitted once its newline arrives. */
  write(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const text = this.partial[stream] + chunk.toString();
    const parts = text.split(/\r?\n/);
    this.partial[stream] = parts.pop() ?? '';
    for (const p of parts) this.push(stream, p);
    if (this.partial[stream].length > MAX_LINE) {
      this.push(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
  }

  /** A line of Rigger's own: which step starts, what it found. */
  note(text: string): void {
    this.flush();
    this.push('rigger', text);
  }

  lines(): TerminalLine[] {
    return [...this.kept];
  }

  end(): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    this.emit('end');
  }

  get done(): boolean {
    return this.ended;
  }

  /** Every line, from the first, until the operation ends. */
  async *[Symbol.asyncIterator](): AsyncIterator<TerminalLine> {
    let i = 0;
    for (;;) {
      while (i < this.kept.length) yield this.kept[i++]!;
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.off('line', wake);
          this.off('end', wake);
          resolve();
        };
        this.on('line', wake);
        this.on('end', wake);
      });
    }
  }

  private flush(): void {
    for (const s of ['stdout', 'stderr'] as const) {
      if (this.partial[s]) this.push(s, this.partial[s]);
      this.partial[s] = '';
    }
  }

  private push(stream: TerminalLine['stream'], text: string): void {
    if (this.ended) return;
    const line = {
      update_id: this.updateId,
      stream,
      line: text.slice(0, MAX_LINE),
      at: new Date().toISOString(),
    };
    if (this.kept.length >= MAX_LINES) this.kept.shift();
    this.kept.push(line);
    this.emit('line', line);
  }
}
