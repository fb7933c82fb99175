import type { AuditResult } from '../engine.js';

export interface ReportInput {
  result: AuditResult;
  /** Findings to show (after --quiet filtering); suppressed ones included, marked. */
  findings: AuditResult['findings'];
  color: boolean;
}

export type Reporter = (input: ReportInput) => string;
