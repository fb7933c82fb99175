// The scan starts before the CLI has loaded: bin/stripe-audit.js calls prestartScan first thing. It
// starts git's listing of the folders the raw command line names (on this thread: git answers in ~25 ms,
// before a worker could even start) and the scan worker, which the listings are forwarded to. The worker
// scans on its guess of the input until the CLI's parsed options confirm it (scan-worker.ts). Unused
// (help, version, subcommands), neither keeps the process alive.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { startGitListing } from './git-listing.js';
import { trace } from '../util/trace.js';
import { scanArguments } from './scan-args.js';

let idle: Worker | undefined;

export const SCAN_WORKER_OPTIONS = { resourceLimits: { maxYoungGenerationSizeMb: 12 } };

/** The folders a scan command line is likely to name (a guess: the CLI's parse decides). */
export function likelyFolders(argv: string[]): string[] {
  const args = scanArguments(argv);
  if (!args) return [];
  const dirs = (args.paths.length ? args.paths : ['.']).map((p) => path.resolve(p));
  return dirs.filter((d) => {
    try {
      return fs.statSync(d).isDirectory();
    } catch {
      return false;
    }
  });
}

/** A listing made on this thread, forwarded to the worker (which keeps it by folder). */
export interface ListingMessage {
  listing: { dir: string; part: 'tracked' | 'untracked'; names: string[] | null };
}

/** `argv`: the raw command line. */
export function prestartScan(argv: string[] = []): void {
  if (idle || process.env.STRIPE_AUDIT_NO_WORKER) return;
  const folders = likelyFolders(argv);
  const listings = folders.map((dir) => ({ dir, listing: startGitListing(dir, { background: true }) }));
  if (listings.length) trace('git started');
  let worker: Worker;
  try {
    worker = new Worker(new URL('./scan-worker.js', import.meta.url), { ...SCAN_WORKER_OPTIONS, workerData: { folders, argv } });
  } catch {
    return;
  }
  idle = worker;
  worker.unref();
  worker.on('error', () => {
    if (idle === worker) idle = undefined;
  });
  for (const { dir, listing } of listings) {
    for (const part of ['tracked', 'untracked'] as const) {
      void listing[part].then((names) => {
        trace(`git listed the ${part} files`);
        const message: ListingMessage = { listing: { dir, part, names } };
        try {
          worker.postMessage(message);
        } catch {
          /* the worker is gone */
        }
      });
    }
  }
}

/** The pre-started worker (once), or a new one. */
export function takeScanWorker(): Worker {
  const w = idle ?? new Worker(new URL('./scan-worker.js', import.meta.url), SCAN_WORKER_OPTIONS);
  idle = undefined;
  w.ref();
  return w;
}
