// The scan input the CLI will most likely send, worked out by the scan worker from the raw command
// line with the CLI's own functions (scanRoot, loadConfig), so that it can start before the CLI has
// loaded. Only a guess: the worker compares it with the real input and starts over when they differ.
import type { ScanInput } from './scan.js';
import { scanRoot } from './scan-root.js';
import { loadConfig } from '../gate/config-load.js';
import { scanArguments } from './scan-args.js';
import { dedupeTargets } from './targets.js';
import { scanSignals } from './filter-signals.js';

export function guessScanInput(argv: string[]): ScanInput | undefined {
  const args = scanArguments(argv);
  if (!args) return undefined;
  const targets = dedupeTargets(args.paths.length ? args.paths : ['.']);
  const root = scanRoot(targets);
  try {
    const config = loadConfig({ explicit: args.config, searchFrom: root });
    return { root, paths: targets, includeTests: args.includeTests || config.includeTests, ignore: config.ignore, ...scanSignals(config) };
  } catch {
    return undefined; // the CLI reports the config error
  }
}

export function sameScanInput(a: ScanInput, b: ScanInput): boolean {
  const key = (x: ScanInput) => JSON.stringify([x.root, x.paths, x.includeTests, x.ignore, x.prefilter !== false, x.signals ?? null]);
  return key(a) === key(b);
}
