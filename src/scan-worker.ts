// Worker entry. Started by the executable before the CLI loads (scan-pool.ts): it receives git's
// listings of the folders the command line names, waits for the scan input (the CLI's parsed options),
// runs the scan (discover + filter) and posts the result back.
import { parentPort, workerData } from 'node:worker_threads';
import type { GitListing } from './git-listing.js';
import type { ListingMessage } from './scan-pool.js';
import type { FilterHelper, ScanInput } from './scan.js';
import type { FilterPart } from './filter.js';
import { trace } from './trace.js';

/**
 * git listings of the folders the command line names, made by the main thread as the process started
 * (see scan-pool.ts) and arriving as messages; the scan waits for them like for its own.
 */
trace('worker started');
const early = new Map<string, GitListing>();
const arrived = new Map<string, (names: string[] | null) => void>();
for (const dir of (workerData as { folders?: string[] } | undefined)?.folders ?? []) {
  const deferred = (part: string) => new Promise<string[] | null>((resolve) => arrived.set(`${part}\0${dir}`, resolve));
  early.set(dir, { tracked: deferred('tracked'), untracked: deferred('untracked') });
}
// The scan modules load while git works.
const scanModule = import('./scan.js');

let onPart: ((part: FilterPart) => void) | undefined;
/** The main thread filters part of the pool while it waits (see FilterHelper). */
const mainThreadHelper: FilterHelper = {
  offer(files, next, cb) {
    onPart = cb;
    parentPort!.postMessage({ share: { files, next } });
  },
};

const onMessage = (m: { input?: ScanInput; part?: FilterPart } & Partial<ListingMessage>) => {
  if (m.part) onPart?.(m.part);
  else if (m.listing) arrived.get(`${m.listing.part}\0${m.listing.dir}`)?.(m.listing.names);
  else if (m.input) void run(m.input).finally(() => parentPort!.off('message', onMessage)); // then the thread ends
};
parentPort!.on('message', onMessage);

async function run(input: ScanInput): Promise<void> {
  try {
    trace('scan input received');
    const { scan } = await scanModule;
    const output = await scan(input, {
      onDiscovered: (manifests) => parentPort!.postMessage({ discovered: manifests }),
      onProgress: (read, candidates) => parentPort!.postMessage({ progress: { read, candidates } }),
      gitListings: early,
      helper: mainThreadHelper,
    });
    trace('scan done');
    parentPort!.postMessage({ ok: true, output });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).stack ?? String(err) });
  }
}
