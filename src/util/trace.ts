// STRIPE_AUDIT_TRACE=1: a timeline on stderr (ms since the process started, which thread, what), for
// performance work across the main thread and the scan worker. Off, it costs one property read.
import { isMainThread } from 'node:worker_threads';

const enabled = !!process.env.STRIPE_AUDIT_TRACE;
const processStart = Date.now() - process.uptime() * 1000;

export function trace(event: string): void {
  if (!enabled) return;
  process.stderr.write(`trace ${String(Math.round(Date.now() - processStart)).padStart(5)} ms  ${isMainThread ? 'main  ' : 'worker'}  ${event}\n`);
}
