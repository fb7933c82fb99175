import type { AuditResult } from './engine.js';
import type { Diagnostic } from './types.js';

/** Applies inline suppressions; returns diagnostics about them. */
export function applySuppressions(_result: AuditResult): Diagnostic[] {
  return [];
}
