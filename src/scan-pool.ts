// A scan worker started as early as possible (by bin/stripe-audit.js, before the CLI modules load), so
// that its own start-up overlaps with the main thread's. It waits for the scan input; unused (help,
// version, subcommands) it does not keep the process alive.
import { Worker } from 'node:worker_threads';

let idle: Worker | undefined;

export const SCAN_WORKER_OPTIONS = { resourceLimits: { maxYoungGenerationSizeMb: 12 } };

/** `argv`: the raw command line, so the worker can start listing the named folders right away. */
export function prestartScanWorker(argv: string[] = []): void {
  if (idle || process.env.STRIPE_AUDIT_NO_WORKER) return;
  try {
    idle = new Worker(new URL('./scan-worker.js', import.meta.url), { ...SCAN_WORKER_OPTIONS, workerData: { argv } });
    idle.unref();
    idle.on('error', () => {
      idle = undefined;
    });
  } catch {
    idle = undefined;
  }
}

/** The pre-started worker (once), or a new one. */
export function takeScanWorker(): Worker {
  const w = idle ?? new Worker(new URL('./scan-worker.js', import.meta.url), SCAN_WORKER_OPTIONS);
  idle = undefined;
  w.ref();
  return w;
}
