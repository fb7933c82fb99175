// Worker entry. Started by the executable before the CLI loads (scan-pool.ts): it receives git's
// listings of the folders the command line names and starts scanning (discover + filter) on its guess of
// the scan input; when the CLI's parsed options arrive it keeps that scan or starts over, and posts the
// result back.
import { parentPort, workerData } from 'node:worker_threads';
import type { GitListing } from './git-listing.js';
import type { ListingMessage } from './scan-pool.js';
import type { ScanExtras, ScanInput, ScanOutput } from './scan.js';
import { guessScanInput, sameScanInput } from './scan-guess.js';
import type { FilterPart } from './filter.js';
import { trace } from '../util/trace.js';

trace('worker started');

/**
 * git listings of the folders the command line names, made by the main thread as the process started
 * (see scan-pool.ts) and arriving as messages; the scan waits for them like for its own.
 */
const early = new Map<string, GitListing>();
const arrived = new Map<string, (names: string[] | null) => void>();
for (const dir of (workerData as { folders?: string[] } | undefined)?.folders ?? []) {
  const deferred = (part: string) => new Promise<string[] | null>((resolve) => arrived.set(`${part}\0${dir}`, resolve));
  early.set(dir, { tracked: deferred('tracked'), untracked: deferred('untracked') });
}
// The scan modules load while git works.
const scanModule = import('./scan.js');

let onPart: ((part: FilterPart) => void) | undefined;

/**
 * Until the CLI's input confirms the guessed one, what the scan would tell the main thread is held
 * back (the SDK check must not start on a wrong list of manifests); on confirmation it is sent.
 */
let confirmed = false;
const held: Array<() => void> = [];
const send = (post: () => void) => (confirmed ? post() : held.push(post));

const extras = (signal?: AbortSignal): ScanExtras => ({
  onDiscovered: (manifests) => send(() => parentPort!.postMessage({ discovered: manifests })),
  onProgress: (read, candidates) => send(() => parentPort!.postMessage({ progress: { read, candidates } })),
  gitListings: early,
  // The main thread filters part of the pool while it waits (see FilterHelper).
  helper: {
    offer(files, next, cb) {
      onPart = cb;
      send(() => parentPort!.postMessage({ share: { files, next } }));
    },
  },
  signal,
});

// Start on the input the command line most likely gives (same folders, config and flags), before the
// CLI has loaded and parsed its options.
const argv = (workerData as { argv?: string[] } | undefined)?.argv;
const guessed = argv ? guessScanInput(argv) : undefined;
const stopGuess = new AbortController();
const guessedScan = guessed ? scanModule.then(({ scan }) => scan(guessed, extras(stopGuess.signal))) : undefined;
guessedScan?.catch(() => {
  /* a wrong guess, stopped, or failed: the real input decides */
});

const onMessage = (m: { input?: ScanInput; part?: FilterPart } & Partial<ListingMessage>) => {
  if (m.part) onPart?.(m.part);
  else if (m.listing) arrived.get(`${m.listing.part}\0${m.listing.dir}`)?.(m.listing.names);
  else if (m.input) void run(m.input).finally(() => parentPort!.off('message', onMessage)); // then the thread ends
};
parentPort!.on('message', onMessage);

async function run(input: ScanInput): Promise<void> {
  try {
    trace('scan input received');
    let output: ScanOutput | undefined;
    if (guessed && guessedScan && sameScanInput(guessed, input)) {
      trace('the guessed input was right');
      confirmed = true;
      for (const post of held.splice(0)) post();
      output = await guessedScan.catch(() => undefined);
    } else {
      if (guessed) trace('the guessed input was wrong: starting over');
      stopGuess.abort();
      await guessedScan?.catch(() => undefined);
      held.length = 0;
      onPart = undefined;
      confirmed = true;
    }
    if (!output) {
      const { scan } = await scanModule;
      output = await scan(input, extras());
    }
    trace('scan done');
    parentPort!.postMessage({ ok: true, output });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).stack ?? String(err) });
  }
}
