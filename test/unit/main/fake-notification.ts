/**
 * A STAND-IN for Electron's `Notification`: Electron's binary cannot run on these machines, so
 * the shell's desktop notifications are tested against this class, which records each
 * notification shown (title, body, silent) and lets a test click one.
 */
export class FakeNotification {
  static shown: FakeNotification[] = [];
  static supported = true;
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  private clicks: Array<() => void> = [];
  constructor(readonly options: { title: string; body: string; silent?: boolean }) {}
  on(event: 'click', listener: () => void): this {
    if (event === 'click') this.clicks.push(listener);
    return this;
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
  /** The user clicks it. */
  click(): void {
    for (const l of this.clicks) l();
  }
}
