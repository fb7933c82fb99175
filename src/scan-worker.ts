// Worker entry: runs the scan (discover + filter) and posts the result back.
import { parentPort, workerData } from 'node:worker_threads';
import { scan, type ScanInput } from './scan.js';

try {
  const output = scan(workerData as ScanInput, (manifests) => parentPort!.postMessage({ discovered: manifests }));
  parentPort!.postMessage({ ok: true, output });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: (err as Error).stack ?? String(err) });
}
