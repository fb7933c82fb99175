// The pipeline: discover → filter (a worker thread, src/scan/scan.ts) → parse → resolve → rules (src/engine/analysis.ts,
// loaded while the scan runs). Reporting is the CLI's job. This module loads no TypeScript itself.
import type { Worker } from 'node:worker_threads';
import path from 'node:path';
import { takeScanWorker } from '../scan/scan-pool.js';
import { listedEarly, listingsFor, stopUnconfirmed } from '../scan/git-listing.js';
import { scanRoot } from '../scan/scan-root.js';
import type { AuditOptions, AuditResult, PhaseStat } from './types.js';
import type { EarlyCandidate, ScanInput, ScanOutput } from '../scan/scan.js';
import type { ParsedAhead } from '../analysis/parse.js';
import type { FileRef } from '../scan/discover.js';
import type { SdkResult } from '../sdk/index.js';
import { trace } from '../util/trace.js';
import { scanSignals } from '../scan/filter-signals.js';

export { scanRoot } from '../scan/scan-root.js';

export async function audit(options: AuditOptions): Promise<AuditResult> {
  const stats: PhaseStat[] = [];
  const { config } = options;
  const root = scanRoot(options.paths);

  // A large tree is discovered and filtered in a worker thread with a small young generation: reading every
  // file makes many short-lived strings, and there they cannot grow this thread's heap (peak RSS at 20k files
  // 250 → ~210 MB). A small one, on this thread (src/scan/worker-choice.ts).
  // The SDK check starts as soon as the package.json files are known, while the scan still runs (it
  // reads lockfiles and may wait on the registry); when this thread helps the worker filter, once it is
  // done helping: reading the package files and lockfiles is one synchronous stretch (~0.1 s in a large
  // monorepo) that held the helping back while the worker waited for its batches, and this thread is idle
  // again while the worker promotes.
  let helping: Promise<void> = Promise.resolve();
  let listingsPosted: Promise<void> = Promise.resolve();
  let sdkPromise: Promise<SdkResult> | undefined;
  const startSdk = (manifests: string[]) => {
    // Loaded here, not at start-up: the CLI sends the scan its input sooner.
    sdkPromise ??= helping
      .then(() => import('../sdk/index.js'))
      .then(({ collectStripePackages }) => {
        trace('SDK check started');
        return collectStripePackages({ root, manifests, offline: options.offline, registry: options.registry ?? config.registry, timeoutMs: options.registryTimeoutMs, cacheDir: options.cacheDir, rules: config.rules });
      })
      .finally(() => trace('SDK check done'));
  };
  // The candidates found by their text (by the worker or this thread), parsed on this thread as they come,
  // while the scan goes on.
  const ahead: ParsedAhead = new Map();
  let analysis: Promise<typeof import('./analysis.js')> | undefined;
  const parseEarly = (files: EarlyCandidate[]) =>
    void analysis
      ?.then(({ parseAhead }) => {
        parseAhead(files, ahead);
        trace(`parsed ${files.length} candidates ahead`);
      })
      // Only a head start: when the analysis cannot load, awaiting it below reports why.
      .catch(() => {});
  const scanning = runScan({ root, paths: options.paths, includeTests: config.includeTests, ignore: config.ignore, ...scanSignals(config), ...(options.prefilter === false ? { prefilter: false } : {}) }, startSdk, (read) =>
    options.onProgress?.({ phase: 'reading', scanned: read, parsed: 0 }),
    options.worker !== false,
    parseEarly,
    (done) => (helping = done),
    (posted) => (listingsPosted = posted),
  );
  // The TypeScript side (parser, resolution, rules) loads on this thread while the worker scans, or while
  // git lists the files of a scan on this thread. It loads at once when it starts (CommonJS chunks), so it
  // starts after the scan's first step (git then runs in its own process) and not at all when the scan has
  // already failed (a missing path, nothing to scan).
  let scanSettled = false;
  const loadAnalysis = () => {
    if (!analysis) {
      trace('loading the analysis');
      analysis = import('./analysis.js');
      void analysis.then(() => trace('analysis loaded'));
    }
    return analysis;
  };
  const startLoading = () =>
    setImmediate(() => {
      if (!scanSettled) void loadAnalysis().catch(() => {}); // awaited below, where a failure is reported
    });
  void listingsPosted.then(startLoading, startLoading);
  const scanned = await scanning.finally(() => (scanSettled = true));
  trace('scan received');
  const { found, filtered } = scanned;
  stats.push({ phase: 'discover', ms: scanned.timings.discoverMs, count: found.fileCount, rssMb: scanned.timings.discoverRssMb });
  stats.push({ phase: 'filter', ms: scanned.timings.filterMs, count: filtered.candidates.length, rssMb: scanned.timings.filterRssMb });
  options.onProgress?.({ phase: 'filter', scanned: found.fileCount, parsed: 0 });
  const { analyzeScan } = await loadAnalysis();
  return analyzeScan({ root, options, scanned, stats, ahead, sdk: () => {
    startSdk(found.manifests);
    return sdkPromise!;
  } });
}

/**
 * Runs the scan in a worker. When the worker cannot start or dies (no worker support, out of memory),
 * the scan runs in this thread instead; an error of the scan itself is an error either way.
 */
function runScan(
  input: ScanInput,
  onDiscovered: (manifests: string[]) => void,
  onProgress: ((read: number) => void) | undefined,
  useWorker: boolean,
  onEarly: (files: EarlyCandidate[]) => void,
  onHelping: (done: Promise<void>) => void,
  onListingsPosted: (posted: Promise<void>) => void,
): Promise<ScanOutput> {
  // Listings the executable started for a guess of the paths that the command line did not confirm.
  const folders = input.paths.map((p) => path.resolve(p));
  stopUnconfirmed(folders);
  return new Promise((resolve, reject) => {
    let settled = false;
    const inThisThread = () => {
      if (settled) return;
      settled = true;
      // Loaded only here: normally the worker is the one that scans.
      import('../scan/scan.js').then(({ scan }) => scan(input, { onDiscovered, onProgress })).then(resolve, reject);
    };
    if (!useWorker || process.env.STRIPE_AUDIT_NO_WORKER) {
      inThisThread();
      return;
    }
    let worker: Worker | undefined;
    try {
      // None when the executable judged the tree small (or this is not the executable): this thread scans.
      worker = takeScanWorker();
    } catch {
      worker = undefined;
    }
    if (!worker) {
      inThisThread();
      return;
    }
    // The files git lists while the CLI loads follow the input (the worker would start git only once it
    // is up); this thread loads the analysis after posting the tracked ones, as loading holds its event loop.
    const scanner = worker;
    const coming = listedEarly(folders);
    scanner.postMessage({ input, listingsComing: coming });
    let trackedPosted = 0;
    onListingsPosted(
      new Promise<void>((posted) => {
        if (!coming.length) posted();
        listingsFor(coming, (listing) => {
          scanner.postMessage({ listing });
          if ('tracked' in listing && ++trackedPosted === coming.length) posted();
        });
      }),
    );
    worker.on('message', (m: { discovered?: string[]; share?: { files: FileRef[]; next: Int32Array }; progress?: { read: number }; early?: EarlyCandidate[]; ok?: boolean; output?: ScanOutput; error?: string }) => {
      if (m.early) {
        onEarly(m.early);
        return;
      }
      if (m.share) {
        // Help filter while this thread has nothing better to do (it is loading the analysis, then waits).
        const { files, next } = m.share;
        trace(`offered a pool of ${files.length} files to filter`);
        onHelping(
          import('../scan/filter.js')
            .then(({ helpFilter, earlyCandidates }) =>
              helpFilter(files, next, (part) => {
                worker.postMessage({ part });
                // Parsed here as they are found, like the worker's.
                const strong = earlyCandidates(part, files);
                if (strong.length) onEarly(strong);
              }),
            )
            .catch(() => {
              /* the worker is gone: its exit handler decides */
            }),
        );
        return;
      }
      if (m.progress) {
        onProgress?.(m.progress.read);
        return;
      }
      if (m.discovered) {
        onDiscovered(m.discovered);
        return;
      }
      if (settled) return;
      settled = true;
      worker.unref(); // its work is done: it must not keep the process alive
      if (m.ok && m.output) resolve(m.output);
      else reject(new Error(`scan failed: ${m.error}`));
    });
    worker.once('error', inThisThread);
    worker.once('exit', inThisThread);
  });
}

