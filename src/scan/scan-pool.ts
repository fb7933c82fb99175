// The scan worker starts before the CLI has loaded: bin/stripe-audit.js calls prestartScan first thing,
// so that the worker's start-up (a new V8 isolate, the scan modules) overlaps with loading the CLI. It
// waits, unused and not keeping the process alive, until the engine sends it the parsed scan input.
// Only a scan of a large tree gets one (worker-choice.ts); a small one runs on the main thread.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { runsScan, scanPaths } from '../cli/commands/names.js';
import { worthAWorker } from './worker-choice.js';

let idle: Worker | undefined;

const SCAN_WORKER_OPTIONS = { resourceLimits: { maxYoungGenerationSizeMb: 12 } };

/**
 * Starts the worker for a scan of a large tree (worthAWorker); `rules`, `explain`, `init`, help, the version
 * and small trees start none. STRIPE_AUDIT_WORKER=1 starts it whatever the size, STRIPE_AUDIT_NO_WORKER=1 never.
 */
export function prestartScan(argv: readonly string[] = process.argv.slice(2)): void {
  if (idle || process.env.STRIPE_AUDIT_NO_WORKER || !runsScan(argv)) return;
  const paths = scanPaths(argv).map((p) => path.resolve(p));
  if (!process.env.STRIPE_AUDIT_WORKER && !worthAWorker(paths)) return;
  let worker: Worker;
  try {
    // The folders the command line names, for git to list as the worker starts (scan-worker.ts).
    worker = new Worker(new URL('./scan-worker.js', import.meta.url), { ...SCAN_WORKER_OPTIONS, workerData: { paths } });
  } catch {
    return;
  }
  idle = worker;
  worker.unref();
  worker.on('error', () => {
    if (idle === worker) idle = undefined;
  });
}

/** The pre-started worker (once); a new one only with STRIPE_AUDIT_WORKER=1; else none: scan on this thread. */
export function takeScanWorker(): Worker | undefined {
  const w = idle ?? (process.env.STRIPE_AUDIT_WORKER ? new Worker(new URL('./scan-worker.js', import.meta.url), SCAN_WORKER_OPTIONS) : undefined);
  idle = undefined;
  w?.ref();
  return w;
}
