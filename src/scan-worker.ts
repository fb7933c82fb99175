// Worker entry: waits for the scan input, runs the scan (discover + filter) and posts the result back.
import { parentPort } from 'node:worker_threads';
import { scan, type ScanInput } from './scan.js';

parentPort!.once('message', (input: ScanInput) => {
  try {
    const output = scan(input, (manifests) => parentPort!.postMessage({ discovered: manifests }));
    parentPort!.postMessage({ ok: true, output });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).stack ?? String(err) });
  }
});
