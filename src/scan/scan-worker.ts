// Worker entry. Started by the executable before the CLI loads (scan-pool.ts): it loads the scan modules
// while the CLI parses its options, scans (discover + filter) the input the engine sends, and posts the
// result back.
import { parentPort, workerData } from 'node:worker_threads';
import { prelistTracked } from './git-listing.js';
import type { ScanExtras, ScanInput } from './scan.js';
import type { FilterPart } from './filter.js';
import { trace } from '../util/trace.js';

trace('worker started');

// git lists the tracked files of the folders the command line names while the CLI still parses it.
const guessed = (workerData as { paths?: string[] } | undefined)?.paths;
if (guessed) prelistTracked(guessed);

// The scan modules load while the main thread loads the CLI.
const scanModule = import('./scan.js');

let onPart: ((part: FilterPart) => void) | undefined;

const extras: ScanExtras = {
  onDiscovered: (manifests) => parentPort!.postMessage({ discovered: manifests }),
  onProgress: (read, candidates) => parentPort!.postMessage({ progress: { read, candidates } }),
  // Texts the main thread can parse while this one promotes (it would otherwise wait idle).
  onStrongCandidates: (candidates) => parentPort!.postMessage({ early: candidates.map((c) => ({ absPath: c.file.absPath, text: c.text })) }),
  // The main thread filters part of the pool while it waits (see FilterHelper).
  helper: {
    offer(files, next, cb) {
      onPart = cb;
      parentPort!.postMessage({ share: { files, next } });
    },
  },
};

const onMessage = (m: { input?: ScanInput; part?: FilterPart }) => {
  if (m.part) onPart?.(m.part);
  else if (m.input) void run(m.input).finally(() => parentPort!.off('message', onMessage)); // then the thread ends
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
