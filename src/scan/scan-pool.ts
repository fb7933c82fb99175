// The scan worker starts before the CLI has loaded: bin/stripe-audit.js calls prestartScan first thing,
// so that the worker's start-up (a new V8 isolate, the scan modules) overlaps with loading the CLI. It
// waits, unused and not keeping the process alive, until the engine sends it the parsed scan input.
// Only a scan of a large tree gets one (worker-choice.ts); a small one runs on the main thread.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { runsScan, scanPaths } from '../cli/commands/names.js';
import { worthAWorker } from './worker-choice.js';
import { prelist } from './git-listing.js';

export { runsScan };

let idle: Worker | undefined;

const SCAN_WORKER_OPTIONS = { resourceLimits: { maxYoungGenerationSizeMb: 12 } };

/**
 * The scan worker. In the bundle (dist/bundle, CommonJS chunks) it loads its chunk through the bundle's
 * loader, with V8's code cache (src/util/bundle-loader.ts), and writes the caches it lacked when it ends;
 * elsewhere (tsc's output, which tests import) it runs scan-worker.js as it is.
 */
function newScanWorker(options: WorkerOptions): Worker {
  const here = fileURLToPath(import.meta.url);
  const loader = path.join(path.dirname(here), 'loader.cjs');
  if (here.endsWith('.cjs') && fs.existsSync(loader)) {
    const boot = `const loader = require(${JSON.stringify(loader)}); process.on('exit', () => loader.saveCodeCaches()); loader.load('scan-worker.cjs');`;
    return new Worker(boot, { ...options, eval: true });
  }
  return new Worker(new URL('./scan-worker.js', import.meta.url), options);
}

/**
 * Starts the worker for a scan of a large tree (worthAWorker); `rules`, `explain`, `init`, help, the version
 * and small trees start none. STRIPE_AUDIT_WORKER=1 starts it whatever the size, STRIPE_AUDIT_NO_WORKER=1 never.
 */
export function prestartScan(argv: readonly string[] = process.argv.slice(2)): void {
  if (idle || !runsScan(argv)) return;
  const paths = scanPaths(argv).map((p) => path.resolve(p));
  // git lists the files of the folders the command line names while the CLI loads; a worker gets the
  // listings after its input (git-listing.ts prelist).
  prelist(paths);
  if (process.env.STRIPE_AUDIT_NO_WORKER || (!process.env.STRIPE_AUDIT_WORKER && !worthAWorker(paths))) return;
  let worker: Worker;
  try {
    worker = newScanWorker(SCAN_WORKER_OPTIONS);
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
  const w = idle ?? (process.env.STRIPE_AUDIT_WORKER ? newScanWorker(SCAN_WORKER_OPTIONS) : undefined);
  idle = undefined;
  w?.ref();
  return w;
}
