// STRIPE_AUDIT_TRACE=1: a timeline on stderr (ms since the process started, which thread, what), for
// performance work across the main thread and the scan worker. Off, it costs one property read.
import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const enabled = !!process.env.STRIPE_AUDIT_TRACE;
const processStart = Date.now() - process.uptime() * 1000;

export function trace(event: string): void {
  if (!enabled) return;
  const line = `trace ${String(Math.round(Date.now() - processStart)).padStart(5)} ms  ${isMainThread ? 'main  ' : 'worker'}  ${event}\n`;
  // Written at once, from either thread: a worker's process.stderr goes through the main thread, which
  // may be busy, and the process can end before it has printed what a worker wrote last.
  try {
    fs.writeSync(2, line);
  } catch {
    process.stderr.write(line); // EAGAIN on a full non-blocking pipe
  }
}
