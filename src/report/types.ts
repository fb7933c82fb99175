import type { AuditResult } from '../engine/types.js';
import type { DisplayPaths } from './paths.js';

/** How the run ended, decided before any report is written (the reports say it too). */
export interface Outcome {
  exitCode: number;
  /** false when the exit code is 2 (incomplete scan) or the SDK check could not reach the registry. */
  complete: boolean;
  /** The scan itself could not complete (exit 2). */
  incomplete: boolean;
  /** The registry could not be reached for the SDK check (not with --offline). */
  sdkIncomplete: boolean;
}

export interface ReportInput {
  result: AuditResult;
  /** Findings to report (after --quiet filtering); suppressed and baselined ones included, marked. */
  findings: AuditResult['findings'];
  /** text and github: also print suppressed and baselined findings (--show-suppressed). */
  showSuppressed: boolean;
  /** --quiet: warnings are left out (the summary says how many). */
  quiet: boolean;
  color: boolean;
  display: DisplayPaths;
  outcome: Outcome;
}

export type Reporter = (input: ReportInput) => string;
