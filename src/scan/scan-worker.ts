// Worker entry. Started by the executable before the CLI loads (scan-pool.ts): it loads the scan modules
// while the CLI parses its options, scans (discover + filter) the input the engine sends, and posts the
// result back.
import { parentPort } from 'node:worker_threads';
import { expectListings, provideListing, type ListingPart } from './git-listing.js';
import type { ScanExtras, ScanInput } from './scan.js';
import type { FilterPart } from './filter.js';
import { trace } from '../util/trace.js';

trace('worker started');

// The scan modules load while the main thread loads the CLI.
const scanModule = import('./scan.js');

let onPart: ((part: FilterPart) => void) | undefined;

const extras: ScanExtras = {
  onDiscovered: (manifests) => parentPort!.postMessage({ discovered: manifests }),
  onProgress: (read, candidates) => parentPort!.postMessage({ progress: { read, candidates } }),
  // Texts the main thread can parse while this one promotes (it would otherwise wait idle).
  onStrongCandidates: (candidates) => parentPort!.postMessage({ early: candidates }),
  // The main thread filters part of the pool while it waits (see FilterHelper).
  helper: {
    offer(files, next, cb) {
      onPart = cb;
      parentPort!.postMessage({ share: { files, next } });
    },
  },
};

const onMessage = (m: { input?: ScanInput; listingsComing?: string[]; listing?: ListingPart; part?: FilterPart }) => {
  if (m.part) onPart?.(m.part);
  // The files git lists for the main thread while the CLI loads (git-listing.ts prelist): announced with
  // the input, each part posted once git has answered.
  else if (m.listing) provideListing(m.listing);
  else if (m.input) {
    if (m.listingsComing) expectListings(m.listingsComing);
    void run(m.input).finally(() => parentPort!.off('message', onMessage)); // then the thread ends
  }
};
parentPort!.on('message', onMessage);

async function run(input: ScanInput): Promise<void> {
  try {
    trace('scan input received');
    const { scan } = await scanModule;
    const output = await scan(input, extras);
    trace('scan done');
    parentPort!.postMessage({ ok: true, output });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).stack ?? String(err) });
  }
}
