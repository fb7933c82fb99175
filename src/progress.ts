/** A one-line progress indicator on stderr (TTY only). */
export class Progress {
  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly enabled: boolean,
  ) {}
  update(p: { phase: string; scanned: number; parsed: number }): void {
    if (this.enabled) this.stream.write(`\r${p.phase}: ${p.scanned} files scanned, ${p.parsed} parsed`);
  }
  done(): void {
    if (this.enabled) this.stream.write('\r\x1b[K');
  }
}
