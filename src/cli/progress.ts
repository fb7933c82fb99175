// A one-line progress indicator on stderr. The CLI enables it only on a TTY, without --quiet, and not when
// a machine format goes to stdout. Plain ANSI (carriage return + erase line): no dependency needed for one line.
export class Progress {
  private shown = false;
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly enabled: boolean,
  ) {}
  update(p: { phase: string; scanned: number; parsed: number }): void {
    if (!this.enabled) return;
    const line = `stripe-audit: ${p.phase}: ${p.scanned} files scanned, ${p.parsed} parsed`;
    const width = this.stream.columns || 80;
    this.stream.write(`\r\x1b[K${line.length >= width ? line.slice(0, width - 1) : line}`);
    this.shown = true;
  }
  done(): void {
    if (this.enabled && this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
