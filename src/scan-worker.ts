// Worker entry. Started by the executable before the CLI loads, with the raw command line: it starts the
// git file listing of the folders the command line names at once, then waits for the scan input
// (the CLI's parsed options), runs the scan (discover + filter) and posts the result back.
import path from 'node:path';
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { scan, type ScanInput } from './scan.js';
import { gitListedFilesAsync } from './discover.js';

/** Options that take a value, so that their values are not taken for paths. */
const VALUE_OPTIONS = new Set(['-f', '--format', '-o', '--output', '--fail-on', '--registry', '--registry-timeout', '-c', '--config', '--baseline', '--write-baseline']);
const SUBCOMMANDS = new Set(['rules', 'explain', 'init', 'help']);

function likelyFolders(argv: string[]): string[] {
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-')) positional.push(a);
  }
  if (positional.length && SUBCOMMANDS.has(positional[0])) return [];
  const dirs = (positional.length ? positional : ['.']).map((p) => path.resolve(p));
  return dirs.filter((d) => {
    try {
      return fs.statSync(d).isDirectory();
    } catch {
      return false;
    }
  });
}

const early = new Map<string, Promise<string[] | null>>();
const argv = (workerData as { argv?: string[] } | undefined)?.argv;
if (argv) for (const dir of likelyFolders(argv)) early.set(dir, gitListedFilesAsync(dir));

parentPort!.once('message', async (input: ScanInput) => {
  try {
    const gitListings = new Map<string, string[] | null>();
    for (const p of input.paths) {
      const abs = path.resolve(p);
      const listing = early.get(abs);
      if (listing) gitListings.set(abs, await listing);
    }
    const output = scan(input, {
      onDiscovered: (manifests) => parentPort!.postMessage({ discovered: manifests }),
      onProgress: (read, candidates) => parentPort!.postMessage({ progress: { read, candidates } }),
      gitListings,
    });
    parentPort!.postMessage({ ok: true, output });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).stack ?? String(err) });
  }
});
