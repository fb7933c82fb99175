// The scan worker starts before the CLI has loaded: bin/stripe-audit.js calls prestartScan first thing,
// so that the worker's start-up (a new V8 isolate, the scan modules) overlaps with loading the CLI. It
// waits, unused and not keeping the process alive, until the engine sends it the parsed scan input.
import { Worker } from 'node:worker_threads';

let idle: Worker | undefined;

const SCAN_WORKER_OPTIONS = { resourceLimits: { maxYoungGenerationSizeMb: 12 } };

export function prestartScan(): void {
  if (idle || process.env.STRIPE_AUDIT_NO_WORKER) return;
  let worker: Worker;
  try {
    worker = new Worker(new URL('./scan-worker.js', import.meta.url), SCAN_WORKER_OPTIONS);
  } catch {
    return;
  }
  idle = worker;
  worker.unref();
  worker.on('error', () => {
    if (idle === worker) idle = undefined;
  });
}

/** The pre-started worker (once), or a new one. */
export function takeScanWorker(): Worker {
  const w = idle ?? new Worker(new URL('./scan-worker.js', import.meta.url), SCAN_WORKER_OPTIONS);
  idle = undefined;
  w.ref();
  return w;
}
