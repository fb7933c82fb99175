// The engine's shapes: what a run is asked (AuditOptions) and what it answers (AuditResult). In a module of
// their own so that the engine, the analysis it loads, the gate and the reporters share them without
// importing each other.
import type { Diagnostic, Finding } from '../types.js';
import type { ResolvedConfig } from '../gate/config.js';
import type { Rule } from '../rule.js';

export interface AuditOptions {
  paths: string[];
  config: ResolvedConfig;
  offline: boolean;
  registry?: string;
  registryTimeoutMs: number;
  cacheDir?: string;
  onProgress?: (p: { phase: string; scanned: number; parsed: number }) => void;
  /** false: parse every discovered file instead of those the text filter keeps (`--no-prefilter`). */
  prefilter?: boolean;
  /**
   * false: scan in this thread, no worker (as `STRIPE_AUDIT_NO_WORKER=1`); for callers that audit many small
   * trees in one process. Otherwise the worker the executable pre-started for a large tree, if any
   * (src/scan/scan-pool.ts; STRIPE_AUDIT_WORKER=1 makes one whatever the size).
   */
  worker?: boolean;
}

export interface PhaseStat {
  phase: 'discover' | 'filter' | 'parse' | 'resolve' | 'rules';
  ms: number;
  count: number;
  /** Resident set size at the end of the phase, MB. */
  rssMb?: number;
}

export interface AuditResult {
  root: string;
  findings: Finding[];
  diagnostics: Diagnostic[];
  /** Problems that make the scan incomplete (unreadable path, internal error). */
  fatal: Diagnostic[];
  registryFailed: boolean;
  /** Source files discovered and read. */
  filesScanned: number;
  /** Of those, the files parsed (the rest cannot matter to any rule). */
  filesParsed: number;
  /** Modules outside the scanned files that resolution parsed (imports followed). */
  importedParsed: number;
  stats: PhaseStat[];
  /** The rules that ran (not turned off). */
  rules: Rule[];
  /** Every rule (for SARIF's tool.driver.rules and documentation). */
  allRules: Rule[];
  /** Scanned source files (root-relative) whose text mentions `stripe-audit-ignore`: the suppression pass reads these. */
  suppressionFiles?: string[];
}
