// Worker entry. Started by the executable before the CLI loads, with the raw command line: it starts
// git's listing of the folders the command line names before loading anything else, then waits for the
// scan input (the CLI's parsed options), runs the scan (discover + filter) and posts the result back.
import path from 'node:path';
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { startGitListing, type GitListing } from './git-listing.js';
import type { ScanInput } from './scan.js';
import { trace } from './trace.js';

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

const early = new Map<string, GitListing>();
const argv = (workerData as { argv?: string[] } | undefined)?.argv;
if (argv) for (const dir of likelyFolders(argv)) early.set(dir, startGitListing(dir));
// The scan modules load while git works.
trace('git started');
const scanModule = import('./scan.js');

parentPort!.once('message', async (input: ScanInput) => {
  try {
    trace('scan input received');
    const { scan } = await scanModule;
    const output = await scan(input, {
      onDiscovered: (manifests) => parentPort!.postMessage({ discovered: manifests }),
      onProgress: (read, candidates) => parentPort!.postMessage({ progress: { read, candidates } }),
      gitListings: early,
    });
    trace('scan done');
    parentPort!.postMessage({ ok: true, output });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).stack ?? String(err) });
  }
});
